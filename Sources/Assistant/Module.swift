// The Assistant module: the actions — explain, review, complete — on top of the Self-MoA engine.
//
// It owns what the engine leaves to its callers: choosing the code a request is about (the
// selection, or the function or block around the cursor, plus the file's imports), the prompts
// of each action (short, for small models), and turning the synthesised answer into something an
// editor can use — markdown, review findings on document lines, or code to insert with its
// indentation fixed and any overlap with the surrounding text trimmed. It also maps per-action
// settings onto engine configurations and summarises what a run cost.
//
// For complete it also judges candidates before aggregation (`CompleteChecker`, the engine's
// `CandidateChecker`): the code each would insert, placed in the file, parsed by the language's
// own toolchain (Tools' `ToolchainSyntaxChecker`), and, when the user opts in, the `>>>` examples of the
// function's docstring run against it in Tools' bubblewrap sandbox (`DoctestSandbox`). explain
// ranks its sound candidates by the code the model rebuilds from each (`RoundTripChecker`);
// review's repair check runs a function's examples against its repairs, and against its lines
// filled in one by one where no repair helps (`LineSearch`).
//
// It knows nothing of LSP or JSON-RPC: documents are plain text, positions are UTF-8 byte
// offsets into it, lines are 0-based. Its only I/O is those checks, every subprocess started
// through the Tools module, and, in C and C++ with the experimental `headerDeclarations`, the
// headers a file includes, read through Tools' `IncludedHeaders` (complete then shows the model
// the definitions of the types the function names: `HeaderDeclarations`); it logs nothing — what a check could not do (a missing
// toolchain) is reported in the result (`CostReport.notes`).
//
// Every target imports and declares what it uses; nothing is re-exported.
// Entry point: `Assistant` with an `ActionInput`; results are `ExplainResult`, `ReviewResult`
// and `CompleteResult`, each carrying the engine's `SelfMoAResult` (`CostReport` summarises it).

import SelfMoA
import Tools
