import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// Stubs are recognised per language; code that merely starts like one is not.
@Suite struct PlaceholderCodeTests {
    @Test(arguments: [
        "    pass",
        "    # Your code here\n    pass",
        "    ...",
        "    raise NotImplementedError",
        "    raise NotImplementedError(\"implement me (later)\")",
        "    \"\"\"Return the sum.\"\"\"\n    pass",
        "    # TODO: implement",
    ])
    func pythonStubs(_ code: String) {
        #expect(PlaceholderCode.isPlaceholder(code, language: "python"))
    }

    @Test(arguments: [
        "    return a + b",
        "    password = read()\n    return password",
        "    pass\n    return 0",
        "    \"\"\"Return the sum.\"\"\"\n    return a + b",
        "    passes = [x for x in xs]",
        "    if not xs:\n        raise NotImplementedError\n    return xs[0]",
    ])
    func pythonImplementations(_ code: String) {
        #expect(!PlaceholderCode.isPlaceholder(code, language: "python"))
    }

    @Test func otherLanguages() {
        #expect(PlaceholderCode.isPlaceholder("    fatalError(\"not implemented (yet)\")", language: "swift"))
        #expect(!PlaceholderCode.isPlaceholder("    fatalError(\"x\")\n    return 1", language: "swift"))
        #expect(PlaceholderCode.isPlaceholder("  // TODO\n  throw new Error('Not implemented');", language: "typescript"))
        #expect(!PlaceholderCode.isPlaceholder("  return a + b;", language: "typescript"))
        #expect(PlaceholderCode.isPlaceholder("    todo!()", language: "rust"))
        #expect(PlaceholderCode.isPlaceholder("  /* later */", language: "c"))
        #expect(!PlaceholderCode.isPlaceholder("  return a + b;", language: "c"))
        // Unknown languages keep their comments, so only empty code would count; there is none here.
        #expect(!PlaceholderCode.isPlaceholder("TODO", language: "cobol"))
    }
}
