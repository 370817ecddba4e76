/// One detector datagram or HTTP exchange half (orbit-software.md section 1: UDP PING/PONG,
/// HTTP vote GET and its `{dcid, alive}` reply, the orchestrator notification).
public struct DetectorMessage: Sendable, Hashable {
    /// What the message is.
    public enum Kind: UInt8, Sendable, Hashable {
        /// A UDP PING from a pinger to a target.
        case ping
        /// A target's UDP PONG.
        case pong
        /// A vote request (HTTP GET) to a peer voter.
        case voteRequest
        /// A peer's cached opinion.
        case voteReply
        /// The decision sent to the DR-Orchestrator.
        case notify
        /// The orchestrator's acknowledgement of a notification.
        case notifyAck
        /// A query to the witness: does it still see the watched site?
        case witnessQuery
        /// The witness's cached opinion.
        case witnessReply
    }
    /// The kind.
    public var kind: Kind
    /// The sender's host.
    public var from: DetectorEndpoint
    /// The receiver's host.
    public var to: DetectorEndpoint
    /// Index of the receiving process in the deployment (a detector, the witness pinger), or -1 for a site's orchestrator.
    public var receiver: Int
    /// Index of the sending process, or -1 for an orchestrator.
    public var sender: Int
    /// The conversation: ping round id, voting id or notification id (stale replies are told by it).
    public var conversation: Int64
    /// The site the message is about.
    public var aboutSite: Int
    /// The opinion carried by a reply: true = alive.
    public var alive: Bool

    /// A message; `alive` defaults to true.
    public init(kind: Kind, from: DetectorEndpoint, to: DetectorEndpoint, receiver: Int, sender: Int,
                conversation: Int64, aboutSite: Int, alive: Bool = true) {
        self.kind = kind; self.from = from; self.to = to; self.receiver = receiver; self.sender = sender
        self.conversation = conversation; self.aboutSite = aboutSite; self.alive = alive
    }
}
