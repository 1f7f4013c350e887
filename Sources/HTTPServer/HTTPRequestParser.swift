/// An incremental, strict HTTP/1.1 request parser (RFC 9112). A pure value: feed it byte buffers,
/// it emits one event per call (a head, a run of body bytes, the end of a request, or an error).
///
/// After `.head` the caller routes the request and calls `beginBody(limit:)`; after `.end` the
/// parser is ready for the next (pipelined) request. After `.error` it stays failed: the caller
/// answers and closes, since the framing of what follows cannot be trusted.
struct HTTPRequestParser {
    struct Limits: Sendable {
        var maxTargetLength = 8192
        var maxHeaderBytes = 16384
        var maxHeaderCount = 100
    }

    struct ParseError: Error, Equatable, Sendable {
        var status: HTTPStatus
        var detail: String
    }

    enum Framing: Equatable, Sendable {
        case none
        case length(Int)
        case chunked
    }

    struct Head: Sendable {
        var head: HTTPRequestHead
        var framing: Framing
        /// Whether the connection may stay open after this request (version and `Connection`).
        var keepAlive: Bool
        var expectContinue: Bool
    }

    enum Event {
        /// Every byte given so far is consumed; call again with more.
        case needMore
        case head(Head)
        /// Body bytes at these offsets of the buffer just given.
        case body(Range<Int>)
        case end
        case error(ParseError)
    }

    private enum State {
        case head
        case awaitingBody
        case fixed(remaining: Int)
        case chunkSize
        case chunkExtension
        case chunkSizeLF
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case trailerLine
        case trailerLF
        case endPending
        case failed(ParseError)
    }

    let limits: Limits
    private var state: State = .head
    private var framing: Framing = .none

    // Head accumulation (only used when a head spans several buffers).
    private var headBuffer: [UInt8] = []
    private var scanned = 0
    private var lineStart = 0
    private var headStart = 0
    private var requestLineEnd: Int?
    private var lineCount = 0

    // Chunked decoding.
    private var chunkSizeValue = 0
    private var chunkSizeDigits = 0
    private var chunkLineBytes = 0
    private var trailerLineLength = 0
    private var trailerBytes = 0
    private var bodyLimit = 0
    private var bodyTotal = 0

    init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// True while no byte of the next request has been consumed.
    var isAtRequestBoundary: Bool {
        if case .head = state { return headBuffer.isEmpty }
        return false
    }

    /// Starts reading the body of the head just emitted. Returns 413 when a declared length is
    /// over `limit` (chunked bodies are checked as they arrive).
    mutating func beginBody(limit: Int) -> ParseError? {
        guard case .awaitingBody = state else { preconditionFailure("beginBody without a head") }
        bodyLimit = limit
        bodyTotal = 0
        switch framing {
        case .none, .length(0):
            state = .endPending
        case .length(let length):
            if length > limit {
                return fail(.contentTooLarge, "The request body of \(length) bytes is over this resource's limit of \(limit) bytes.")
            }
            state = .fixed(remaining: length)
        case .chunked:
            chunkSizeValue = 0
            chunkSizeDigits = 0
            chunkLineBytes = 0
            state = .chunkSize
        }
        return nil
    }

    /// Parses from `offset`, advancing it past what was consumed, and returns the next event.
    mutating func parse(_ input: UnsafeRawBufferPointer, offset: inout Int) -> Event {
        switch state {
        case .failed(let error):
            return .error(error)
        case .head:
            return parseHead(input, offset: &offset)
        case .awaitingBody:
            preconditionFailure("parse before beginBody")
        case .endPending:
            state = .head
            return .end
        case .fixed(let remaining):
            let available = input.count - offset
            if available == 0 { return .needMore }
            let take = min(remaining, available)
            let range = offset..<(offset + take)
            offset += take
            state = remaining == take ? .endPending : .fixed(remaining: remaining - take)
            return .body(range)
        default:
            return parseChunked(input, offset: &offset)
        }
    }

    // MARK: - Head

    private mutating func parseHead(_ input: UnsafeRawBufferPointer, offset: inout Int) -> Event {
        if offset >= input.count { return .needMore }
        if headBuffer.isEmpty {
            // Fast path: scan the caller's buffer in place; copy only if the head is incomplete.
            let slice = UnsafeRawBufferPointer(rebasing: input[offset...])
            switch scanForEnd(slice) {
            case .failure(let error):
                return .error(fail(error))
            case .success(let bounds?):
                let event = finishHead(UnsafeRawBufferPointer(rebasing: slice[bounds]))
                offset += bounds.upperBound
                return event
            case .success(nil):
                headBuffer.append(contentsOf: slice)
                offset = input.count
                return .needMore
            }
        }
        headBuffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...]))
        offset = input.count
        let accumulated = headBuffer
        let scan = accumulated.withUnsafeBytes { scanForEnd($0) }
        switch scan {
        case .failure(let error):
            return .error(fail(error))
        case .success(nil):
            return .needMore
        case .success(let bounds?):
            // The bytes after the head came from `input`: hand them back to the caller.
            offset -= accumulated.count - bounds.upperBound
            headBuffer = []
            return accumulated.withUnsafeBytes { finishHead(UnsafeRawBufferPointer(rebasing: $0[bounds])) }
        }
    }

    /// Scans for the empty line ending the head, from where the last scan stopped. Returns the
    /// head's bounds (leading empty lines skipped, final empty line included). Enforces the size
    /// limits on the way, so huge heads fail early.
    private mutating func scanForEnd(_ buffer: UnsafeRawBufferPointer) -> Result<Range<Int>?, ParseError> {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var index = scanned
        while index < buffer.count {
            guard let found = memchrIndex(buffer, lf, from: index) else {
                index = buffer.count
                break
            }
            let length = found - lineStart
            let isEmpty = length == 0 || (length == 1 && buffer[lineStart] == cr)
            if isEmpty {
                if requestLineEnd == nil {
                    // RFC 9112 §2.2: ignore empty lines before the request line.
                    lineStart = found + 1
                    headStart = lineStart
                    index = found + 1
                    continue
                }
                let start = headStart
                resetScan()
                return .success(start..<(found + 1))
            }
            if requestLineEnd == nil {
                requestLineEnd = found
            } else {
                lineCount += 1
                if lineCount > limits.maxHeaderCount {
                    return .failure(ParseError(status: .requestHeaderFieldsTooLarge, detail: "More than \(limits.maxHeaderCount) header fields."))
                }
            }
            lineStart = found + 1
            index = found + 1
        }
        scanned = index
        if let requestLineEnd {
            if index - requestLineEnd > limits.maxHeaderBytes {
                return .failure(ParseError(status: .requestHeaderFieldsTooLarge, detail: "The header section is over \(limits.maxHeaderBytes) bytes."))
            }
        } else if index - headStart > limits.maxTargetLength + 32 {
            return .failure(ParseError(status: .uriTooLong, detail: "The request target is over \(limits.maxTargetLength) bytes."))
        }
        return .success(nil)
    }

    private mutating func resetScan() {
        scanned = 0
        lineStart = 0
        headStart = 0
        requestLineEnd = nil
        lineCount = 0
    }

    private func memchrIndex(_ buffer: UnsafeRawBufferPointer, _ byte: UInt8, from: Int) -> Int? {
        var index = from
        while index < buffer.count {
            if buffer[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// Parses a complete head (request line through the final empty line).
    private mutating func finishHead(_ bytes: UnsafeRawBufferPointer) -> Event {
        switch RequestHeadParser(limits: limits).parse(bytes) {
        case .failure(let error):
            return .error(fail(error))
        case .success(let head):
            framing = head.framing
            state = .awaitingBody
            return .head(head)
        }
    }

    // MARK: - Chunked body

    private mutating func parseChunked(_ input: UnsafeRawBufferPointer, offset: inout Int) -> Event {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        while offset < input.count {
            switch state {
            case .chunkData(let remaining):
                let take = min(remaining, input.count - offset)
                let range = offset..<(offset + take)
                offset += take
                state = remaining == take ? .chunkDataCR : .chunkData(remaining: remaining - take)
                return .body(range)
            case .chunkSize:
                let byte = input[offset]
                if let digit = hexValue(byte) {
                    guard chunkSizeValue <= (Int.max >> 4) else {
                        return .error(fail(.badRequest, "The chunk size is too large."))
                    }
                    chunkSizeValue = chunkSizeValue << 4 | digit
                    chunkSizeDigits += 1
                    offset += 1
                    continue
                }
                guard chunkSizeDigits > 0 else { return .error(fail(.badRequest, "Invalid chunk size.")) }
                switch byte {
                case cr:
                    state = .chunkSizeLF
                case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                    state = .chunkExtension
                default:
                    return .error(fail(.badRequest, "Invalid chunk size."))
                }
                offset += 1
            case .chunkExtension:
                let byte = input[offset]
                offset += 1
                chunkLineBytes += 1
                if byte == cr {
                    state = .chunkSizeLF
                } else if byte == lf || (byte < 0x20 && byte != 0x09) || byte == 0x7F {
                    return .error(fail(.badRequest, "Invalid chunk extension."))
                } else if chunkLineBytes > 4096 {
                    return .error(fail(.badRequest, "The chunk extension is too long."))
                }
            case .chunkSizeLF:
                guard input[offset] == lf else { return .error(fail(.badRequest, "Missing CRLF after the chunk size.")) }
                offset += 1
                let size = chunkSizeValue
                chunkSizeValue = 0
                chunkSizeDigits = 0
                chunkLineBytes = 0
                if size == 0 {
                    trailerLineLength = 0
                    trailerBytes = 0
                    state = .trailerLine
                    continue
                }
                guard size <= bodyLimit - bodyTotal else {
                    return .error(fail(.contentTooLarge, "The request body is over this resource's limit of \(bodyLimit) bytes."))
                }
                bodyTotal += size
                state = .chunkData(remaining: size)
            case .chunkDataCR:
                guard input[offset] == cr else { return .error(fail(.badRequest, "Missing CRLF after the chunk data.")) }
                offset += 1
                state = .chunkDataLF
            case .chunkDataLF:
                guard input[offset] == lf else { return .error(fail(.badRequest, "Missing CRLF after the chunk data.")) }
                offset += 1
                state = .chunkSize
            case .trailerLine:
                // Trailer fields are read and ignored; only their line endings are checked.
                let byte = input[offset]
                offset += 1
                trailerBytes += 1
                if trailerBytes > limits.maxHeaderBytes {
                    return .error(fail(.requestHeaderFieldsTooLarge, "The trailer section is over \(limits.maxHeaderBytes) bytes."))
                }
                if byte == cr {
                    state = .trailerLF
                } else if byte == lf {
                    return .error(fail(.badRequest, "Bare LF in the trailer section."))
                } else {
                    trailerLineLength += 1
                }
            case .trailerLF:
                guard input[offset] == lf else { return .error(fail(.badRequest, "Bare CR in the trailer section.")) }
                offset += 1
                if trailerLineLength == 0 {
                    state = .head
                    return .end
                }
                trailerLineLength = 0
                state = .trailerLine
            default:
                preconditionFailure("not in a chunked state")
            }
        }
        return .needMore
    }

    private func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte &- UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte &- UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    private mutating func fail(_ status: HTTPStatus, _ detail: String) -> ParseError {
        fail(ParseError(status: status, detail: detail))
    }

    private mutating func fail(_ error: ParseError) -> ParseError {
        state = .failed(error)
        headBuffer = []
        return error
    }
}
