/// The pieces of code a review asks repairs of: the functions in the reviewed lines.
///
/// Every line that opens a block is a header (`BlockFinder`); of those that look like
/// functions, the innermost are kept (a method, not its class; a nested function, not the
/// function around it), longer ones than `maximumLines` left out. Code without functions (a
/// script, a selection inside one function's body) is one unit when it is short enough.
/// At most `maximumUnits`, the first in the file: each one costs a sampled request.
enum RepairUnits {
    static let maximumLines = 80
    static let maximumUnits = 12

    /// Line ranges of the units within `focus`, in file order.
    static func units(in lines: [String], focus: Range<Int>) -> [Range<Int>] {
        var functions: [Range<Int>] = []
        for index in focus where !lines[index].isBlank && !SourceLine.isComment(lines[index]) {
            guard BlockFinder.opensBlock(lines, index) else { continue }
            let header = BlockFinder.header(at: index, in: lines)
            guard header.opening == index, BlockFinder.isFunction(header, in: lines) else { continue }
            let block = BlockFinder.block(of: header, in: lines)
            guard block.lowerBound >= focus.lowerBound, block.upperBound <= focus.upperBound else { continue }
            functions.append(block)
        }
        let innermost = functions.filter { outer in
            !functions.contains { $0 != outer && outer.lowerBound <= $0.lowerBound && $0.upperBound <= outer.upperBound }
        }
        var units = innermost.filter { $0.count <= maximumLines }
        if functions.isEmpty, focus.count <= maximumLines, focus.contains(where: { !lines[$0].isBlank }) {
            units = [focus]
        }
        return Array(units.prefix(maximumUnits))
    }
}
