import SelfMoA
import Testing
@testable import Assistant

/// The definitions of the types a C or C++ function's signature names, from its headers.
@Suite struct HeaderDeclarationsTests {
    private let header = """
        #pragma once
        struct base_t;              // declared only
        struct base_t * make(int);  // a function returning one

        /// The base.
        struct base_t {
            int size;

            // the data
            float * data;
        };

        typedef struct {
            int n;
        } counter_t;

        template <typename T>
        class cache : public base_t, private std::vector<T> {
        public:
            void apply(const counter_t & c);
            struct slot { int id; };
        };

        struct base_t value = { 0 };
        """

    @Test func namedDefinitionsWithTheirBasesAndTypedefNames() {
        let found = HeaderDeclarations.definitions(in: header)
        #expect(found.map(\.names) == [["base_t"], ["counter_t"], ["cache"], ["slot"]])
        #expect(found[0].lines == ["struct base_t {", "    int size;", "    float * data;", "};"])
        #expect(found[1].lines == ["typedef struct {", "    int n;", "} counter_t;"])
        #expect(found[2].bases == ["base_t", "std", "vector", "T"])
    }

    @Test func aSignatureNamesItsQualifiersFirst() {
        let lines = ["void cache::apply(", "        const counter_t & c) {", "    ", "}"]
        #expect(HeaderDeclarations.names(inSignatureOf: 0..<4, of: lines) == ["cache", "void", "apply", "const", "counter_t", "c"])
    }

    @Test func theMethodsClassComesWithItsBaseThenTheParametersTypes() {
        let lines = ["#include \"cache.h\"", "void cache::apply(const counter_t & c) {", "    ", "}"]
        let related = HeaderDeclarations.related(
            block: 1..<4, of: lines, headers: [(path: "/p/include/cache.h", text: header)], directory: "/p/src")
        #expect(related.map(\.fileName) == ["../include/cache.h"])
        let text = related.first?.text ?? ""
        let order = ["class cache", "struct base_t {", "} counter_t;"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
    }

    @Test func nothingWhenTheSignatureNamesNoDefinedType() {
        let lines = ["int twice(int x) {", "    ", "}"]
        #expect(HeaderDeclarations.related(block: 0..<3, of: lines, headers: [(path: "/p/a.h", text: header)], directory: "/p").isEmpty)
    }

    @Test func aLongDefinitionIsShortenedAndTheTotalIsBounded() {
        let members = (0..<200).map { "    int m\($0);" }.joined(separator: "\n")
        let long = "struct big {\n\(members)\n};\nstruct other {\n\(members)\n};\n"
        let lines = ["void f(big * b, other * o) {", "}"]
        let related = HeaderDeclarations.related(block: 0..<2, of: lines, headers: [(path: "/p/big.h", text: long)], directory: "/p")
        let shown = (related.first?.text ?? "").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(shown.count <= HeaderDeclarations.maximumLines + 1)
        #expect(shown.contains { $0.contains("// … 143 more lines") })
        #expect(shown.contains("struct other {"))
    }

    @Test func relativeNames() {
        #expect(HeaderDeclarations.relative("/p/src/a.h", to: "/p/src") == "a.h")
        #expect(HeaderDeclarations.relative("/p/include/x/a.h", to: "/p/src/sub") == "../../include/x/a.h")
    }
}
