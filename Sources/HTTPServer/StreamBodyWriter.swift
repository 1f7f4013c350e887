/// The `HTTPBodyWriter` given to a streamed response's producer: frames each chunk
/// (`size CRLF data CRLF` when chunked) and hands it to the connection's `ResponseStream`.
struct StreamBodyWriter: HTTPBodyWriter {
    let stream: ResponseStream

    func write(_ bytes: [UInt8]) throws {
        // An empty chunk would end a chunked body early.
        guard !bytes.isEmpty else { return }
        guard stream.chunked else {
            try stream.append(bytes, payloadBytes: bytes.count)
            return
        }
        var framed: [UInt8] = []
        framed.reserveCapacity(bytes.count + 20)
        appendHex(bytes.count, to: &framed)
        framed.append(contentsOf: [13, 10])
        framed.append(contentsOf: bytes)
        framed.append(contentsOf: [13, 10])
        try stream.append(framed, payloadBytes: bytes.count)
    }

    private func appendHex(_ value: Int, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        while shift >= 0 {
            out.append(digits[(value >> shift) & 15])
            shift -= 4
        }
    }
}
