import Assistant
import Foundation
import JSON
import JSONRPC
import ModelBackend
import SelfMoA

/// The argument of `selfmoa.reviewChanges` (optional, every field too).
struct ReviewChangesArguments: Codable, Sendable {
    /// The revision or range to compare with, as git takes it; absent: the working tree
    /// against `HEAD`.
    var revision: String?
    /// The repository folder as a `file://` URI; absent: the workspace.
    var root: String?
    /// At most this many changed functions are reviewed (default 20).
    var maxFunctions: Int?
}

/// A finding of `selfmoa.reviewChanges` on the wire.
struct ChangeFindingValue: Codable, Sendable {
    var uri: String
    var range: LSPRange
    var severity: String
    var message: String
    var replacement: String?
}

extension LanguageServer {
    /// `selfmoa.reviewChanges`: reviews the functions the workspace's git change touches and
    /// publishes the findings on changed lines as diagnostics in every changed file, open or not.
    func reviewChanges(
        _ params: ExecuteCommandParams, request: IncomingRequest
    ) throws(ResponseError) -> @Sendable () async throws -> JSONValue {
        var arguments = ReviewChangesArguments()
        if let argument = params.arguments?.first, !argument.isNull { arguments = try decode(argument) }
        let limit = arguments.maxFunctions ?? 20
        guard limit >= 1 else { throw .invalidParams("maxFunctions must be at least 1 (got \(limit))") }
        if let revision = arguments.revision, revision.isEmpty || revision.hasPrefix("-") {
            throw .invalidParams("revision must name a commit or a range such as main...HEAD (got \"\(revision)\")")
        }
        let root: String
        if let uri = arguments.root {
            guard let path = Self.path(ofFileURI: uri) else { throw .invalidParams("root must be a file:// URI (got \(uri))") }
            root = path
        } else if let workspaceRoot {
            root = workspaceRoot
        } else {
            throw .invalidParams(
                "selfmoa.reviewChanges needs a workspace: the client sent no rootUri or workspaceFolders; pass {\"root\": \"file:///…\"}")
        }
        let token = params.workDoneToken
        let id = request.id
        let revision = arguments.revision
        return { [self] in
            try await self.performReviewChanges(root: root, revision: revision, limit: limit, token: token, requestID: id)
        }
    }

    func performReviewChanges(root: String, revision: String?, limit: Int, token: JSONValue?, requestID: RequestID) async throws -> JSONValue {
        let progress = await WorkDoneProgress.begin(
            title: "Self-MoA: review changes", message: "reading the change", clientToken: token,
            clientSupportsCreate: client.workDoneProgress, connection: connection)
        if let token = progress.token { progressRequests[token] = requestID }
        defer { if let token = progress.token { progressRequests[token] = nil } }
        do {
            let changes = try await GitChanges.read(in: root, revision: revision)
            var files: [(file: DiffFile, text: String?)] = []
            for file in changes.files {
                files.append((file, file.status == .deleted || file.status == .binary ? nil : await changes.text(of: file)))
            }
            let plan = ChangePlan.make(files, limit: limit)
            let assistant = Assistant(model: await models.model(), settings: settings.assistant)
            logger.info("reviewChanges in \(changes.root) (\(revision ?? "working tree")): \(plan.units.count) functions, \(plan.skippedUnits) skipped")
            let review = try await BackendActivity.reporting(to: { progress.report($0) }) {
                try await assistant.reviewChanges(plan, onUnit: { index, total, unit in
                    progress.report("function \(index + 1)/\(total): \(unit.path):\(unit.lines.lowerBound + 1)", fraction: Double(index) / Double(max(total, 1)))
                })
            }
            var found: [ChangeFindingValue] = []
            for path in Set(plan.units.map(\.path)).sorted() {
                guard let text = plan.texts[path] else { continue }
                let uri = URL(fileURLWithPath: changes.root + "/" + path).absoluteString
                found += publishChangeFindings(review.findings[path] ?? [], uri: uri, text: text)
            }
            var notes = plan.notes
            if plan.skippedUnits > 0 { notes.append("\(plan.skippedUnits) more changed functions beyond the limit of \(limit) were not reviewed") }
            if plan.units.isEmpty { notes.append("no changed code to review") }
            let summary = "reviewed \(review.reviewed.count) changed functions: \(found.count) findings on changed lines"
                + (plan.skippedUnits > 0 ? "; \(plan.skippedUnits) skipped (limit \(limit))" : "")
            showMessage(found.isEmpty ? 3 : 2, "Self-MoA review of changes: \(summary)")
            progress.end("done")
            return try encode(ReviewChangesCommandResult(
                root: changes.root, revision: revision, findings: found, reviewed: review.reviewed.count,
                skipped: plan.skippedUnits, notes: notes, stats: review.cost))
        } catch {
            throw failure(error, progress: progress, what: "Self-MoA review of changes")
        }
    }

    /// Publishes the findings of one changed file, reviewed as `text` (its new side). An open
    /// document gets them only when it holds that text (then at its version, with quick fixes);
    /// one whose buffer differs is told to save and review again, since the lines may not match.
    func publishChangeFindings(_ findings: [Finding], uri: String, text: String) -> [ChangeFindingValue] {
        let open = documents[uri]
        if let open, open.text != text {
            showMessage(2, "Self-MoA review of changes: \(Self.fileName(of: uri)) has unsaved edits; its findings were not shown. Save it and review again.")
            return []
        }
        let document = open ?? TextDocument(uri: uri, languageId: LanguageID.of(path: uri), version: 0, text: text)
        let snapshot = DocumentSnapshot(document: document, encoding: encoding)
        let diagnostics = publishFindings(findings, snapshot: snapshot, versioned: open != nil)
        return diagnostics.map {
            let value = FindingValue($0)
            return ChangeFindingValue(uri: uri, range: value.range, severity: value.severity, message: value.message, replacement: value.replacement)
        }
    }

    /// The path of a `file://` URI, or `nil` for another scheme.
    static func path(ofFileURI uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return url.path
    }
}
