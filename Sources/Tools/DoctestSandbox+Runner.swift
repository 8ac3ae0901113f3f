extension DoctestSandbox {
    /// The prelude: limits, the audit hook, then the program and its examples. Prints
    /// `EXAMPLES passed of total` as its last line when the examples ran, and before it
    /// `FIRST-FAILURE ["source", "expected", "got"]` (JSON) when one failed.
    static func runner(cpuSeconds: Int, memoryBytes: Int) -> String {
        """
        import os, sys, resource
        TMP = os.path.realpath(os.getcwd())

        def limit(kind, value):
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass

        limit(resource.RLIMIT_AS, \(memoryBytes))
        limit(resource.RLIMIT_CPU, \(cpuSeconds))
        limit(resource.RLIMIT_FSIZE, 1 << 20)
        limit(resource.RLIMIT_NOFILE, 64)
        limit(resource.RLIMIT_CORE, 0)

        import doctest, io, json, traceback
        source = open("candidate.py", encoding="utf-8").read()
        examples = open("examples.txt", encoding="utf-8").read()

        def inside(path):
            if isinstance(path, int):
                return True
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            real = os.path.realpath(os.path.join(TMP, path))
            return real == TMP or real.startswith(TMP + os.sep)

        WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        PATH_EVENTS = {
            "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime",
            "os.chflags", "os.lchflags", "os.setxattr", "os.removexattr", "shutil.rmtree", "shutil.chown",
        }
        TWO_PATH_EVENTS = {"os.rename", "os.link", "os.symlink", "shutil.move", "shutil.copyfile", "shutil.copytree"}
        BLOCKED = {
            "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
            "os.kill", "os.killpg", "pty.spawn", "os.startfile", "sys.remote_exec",
        }
        BLOCKED_MODULES = {"ctypes", "_ctypes", "cffi"}

        def refuse(event):
            raise PermissionError("blocked by the sandbox: " + event)

        def hook(event, args):
            if event == "open":
                path, mode, flags = (list(args) + [None, None, None])[:3]
                writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and flags & WRITE_FLAGS)
                if writing and path is not None and not inside(path):
                    refuse("write outside the temporary directory")
            elif event in PATH_EVENTS:
                if args and not inside(args[0]):
                    refuse(event + " outside the temporary directory")
            elif event in TWO_PATH_EVENTS:
                if not all(inside(a) for a in args[:2] if isinstance(a, (str, bytes, int))):
                    refuse(event + " outside the temporary directory")
            elif event in BLOCKED or event.startswith("socket.") or event.startswith("ctypes."):
                refuse(event)
            elif event == "import" and args and args[0] in BLOCKED_MODULES:
                refuse("import " + args[0])

        sys.addaudithook(hook)
        module = {"__name__": "__selfmoa_check__", "__builtins__": __builtins__}
        exec(compile(source, "candidate.py", "exec"), module)
        test = doctest.DocTestParser().get_doctest(examples, module, "examples", "examples.txt", 0)
        first = []

        class Recorder(doctest.DocTestRunner):
            def report_failure(self, out, test, example, got):
                if not first:
                    first.append((example.source, example.want, got))
                super().report_failure(out, test, example, got)

            def report_unexpected_exception(self, out, test, example, exc_info):
                if not first:
                    raised = "".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip()
                    first.append((example.source, example.want, "raises " + raised))
                super().report_unexpected_exception(out, test, example, exc_info)

        runner = Recorder(verbose=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        report = io.StringIO()
        result = runner.run(test, out=report.write, clear_globs=False)
        sys.stderr.write(report.getvalue()[-2000:])
        if first:
            sys.stdout.write("\\nFIRST-FAILURE " + json.dumps([part.strip()[:400] for part in first[0]]) + "\\n")
        sys.stdout.write("\\nEXAMPLES %d of %d\\n" % (result.attempted - result.failed, result.attempted))
        """
    }
}
