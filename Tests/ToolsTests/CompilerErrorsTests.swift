import Testing
@testable import Tools

@Suite struct CompilerErrorsTests {
    @Test func namesAndTypesAreToldFromSyntax() {
        let errors = CompilerErrors("""
            <stdin>: In function ‘int f(M*, int)’:
            <stdin>:4:13: error: ‘hparams’ was not declared in this scope
            <stdin>:7:14: error: request for member ‘n’ in ‘m’, which is of pointer type ‘M*’ (maybe you meant to use ‘->’ ?)
            <stdin>:7:14: note: in definition of macro ‘X’
            <stdin>:9:19: error: expected ‘;’ before ‘}’ token
            include/vec.h:3:1: error: ‘size_t’ does not name a type
            <stdin>:2:1: warning: implicit declaration of function ‘g’
            """)
        #expect(errors.errors.map(\.line) == [4, 7, 9, nil])
        #expect(errors.errors.map(\.isNameOrType) == [true, true, false, false])
        #expect(!errors.onlyNamesAndTypes)
        #expect(CompilerErrors("<stdin>:2:12: error: ‘zz’ undeclared (first use in this function)\n").onlyNamesAndTypes)
        #expect(CompilerErrors("<stdin>:490:15: error: declaration of ‘const int il’ shadows a parameter\n").onlyNamesAndTypes)
        #expect(CompilerErrors("<stdin>:71:60: error: invalid application of ‘sizeof’ to incomplete type ‘struct chunk’\n").onlyNamesAndTypes)
        #expect(CompilerErrors("<stdin>:446:9: error: invalid use of undefined type ‘struct hash_node’\n").onlyNamesAndTypes)
        #expect(CompilerErrors("<stdin>:3:5: error: ‘llm’ has not been declared\n").onlyNamesAndTypes)
    }

    @Test func aFatalErrorAndNoErrorAreNotNamesAndTypes() {
        let fatal = CompilerErrors("<stdin>:1:10: fatal error: vec.h: No such file or directory\n")
        #expect(fatal.errors.map(\.line) == [1])
        #expect(!fatal.onlyNamesAndTypes)
        #expect(!CompilerErrors("<stdin>:1:1: warning: unused variable ‘x’\n").onlyNamesAndTypes)
        // A redefinition, a stray character: where the code is, not what it names.
        #expect(!CompilerErrors("<stdin>:5:5: error: redefinition of ‘twice’\n").onlyNamesAndTypes)
        #expect(!CompilerErrors("<stdin>:2:18: error: stray ‘@’ in program\n").onlyNamesAndTypes)
    }
}
