import Foundation

/// One attempt at a batch of writes: read-modify-write of the incident (GET, change only our
/// fields, PUT everything writable with the etag; on 409 read again and re-apply), then the
/// comments with their fixed ids. Runs on a sender thread; the caller records the result.
enum SentinelSyncAttempt {
    static let conflictRetries = 5
    static let maximumCommentLength = 30_000
    static let maximumComments = 100

    struct Sent: Sendable {
        var commentsAdded = 0
        var skippedComments: [String] = []
        /// The incident as our PUT returned it, or as read when no PUT was needed.
        var incident: SentinelSyncIncident?
    }

    enum Result: Sendable {
        case sent(Sent)
        /// Try again; `retryAfter` is Sentinel's Retry-After when it throttled us.
        case retry(String, retryAfter: TimeInterval?)
        case failed(String)
    }

    /// The result, and the etags Sentinel gave our PUTs (recorded whatever the result, so a
    /// change that did land is never mistaken for one made in the portal).
    static func perform(_ batch: SentinelWriteQueue.Batch, transport: any SentinelSyncTransport,
                        defaultClassification: SentinelWriteClassification = .standardDefault) -> (Result, ownEtags: [String]) {
        var etags: [String] = []
        var sent = Sent()
        let change = batch.change
        var known = batch.known
        if change.changesIncident {
            var conflicts = 0
            update: while true {
                let current: SentinelSyncIncident
                switch transport.getIncident(armId: batch.armId) {
                case .success(let incident): current = incident
                case .conflict: return (.retry("GET answered 409", retryAfter: nil), etags)
                case .throttled(let seconds): return (.retry("throttled (429) reading the incident", retryAfter: seconds), etags)
                case .temporary(let reason): return (.retry(reason, retryAfter: nil), etags)
                case .permanent(let reason): return (.failed(reason), etags)
                }
                known = known?.observing(current)
                sent.incident = current
                // Already as we want it (a repeat after a restart, or Sentinel got there first).
                guard let properties = change.apply(to: current.properties, known: known, defaultClassification: defaultClassification) else { break update }
                switch transport.putIncident(armId: batch.armId, etag: current.etag, properties: properties) {
                case .success(let updated):
                    etags.append(updated.etag)
                    sent.incident = updated
                    break update
                case .conflict:
                    conflicts += 1
                    if conflicts >= conflictRetries { return (.retry("409 Conflict \(conflicts) times in a row", retryAfter: nil), etags) }
                case .throttled(let seconds): return (.retry("throttled (429) writing the incident", retryAfter: seconds), etags)
                case .temporary(let reason): return (.retry(reason, retryAfter: nil), etags)
                case .permanent(let reason): return (.failed(reason), etags)
                }
            }
        }
        for write in batch.writes {
            guard let comment = write.change.comment, let commentId = write.commentId else { continue }
            let index = batch.commentsSent + sent.commentsAdded
            // The last of Sentinel's 100 comments is kept for the closing one.
            if index >= maximumComments || (write.kind != .resolve && index >= maximumComments - 1) {
                sent.skippedComments.append("the incident already has \(index) comments from Watchkeeper (Sentinel allows \(maximumComments)): \(comment.prefix(200))")
                continue
            }
            switch transport.putComment(incidentArmId: batch.armId, commentId: commentId, message: bounded(comment)) {
            case .success: sent.commentsAdded += 1
            case .conflict: return (.retry("comment PUT answered 409", retryAfter: nil), etags)
            case .throttled(let seconds): return (.retry("throttled (429) adding a comment", retryAfter: seconds), etags)
            case .temporary(let reason): return (.retry(reason, retryAfter: nil), etags)
            case .permanent(let reason): return (.failed(reason), etags)
            }
        }
        return (.sent(sent), etags)
    }

    static func bounded(_ text: String) -> String {
        guard text.count > maximumCommentLength else { return text }
        let marker = "\n… (shortened to Sentinel's \(maximumCommentLength) characters)"
        return String(text.prefix(maximumCommentLength - marker.count)) + marker
    }
}
