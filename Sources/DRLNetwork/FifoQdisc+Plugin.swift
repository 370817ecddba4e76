import DRLSimCore

extension FifoQdisc {
    /// pfifo's one parameter (tc-pfifo(8)): `limit` in packets, default txqueuelen 1000
    /// (`fifo_init`, net/sched/sch_fifo.c). A limit below one packet would drop everything.
    static let packetSchema: ParameterSchema = [
        ParameterSpec("limit", .count, default: .number(1000), minimum: 1, maximum: Double(Int32.max),
                      doc: "queue length in packets (tc-pfifo(8); default txqueuelen 1000)"),
    ]

    /// `pfifo`: a tail-drop FIFO limited in packets.
    public static let pfifoPlugin = QdiscPlugin(type: "pfifo", summary: "tail-drop FIFO limited in packets (tc-pfifo(8))",
                                                schema: packetSchema) { c, _ throws(NetworkConfigError) in
        let p = try QdiscParams(c, schema: packetSchema)
        return FifoQdisc(mode: .packets, limit: p.count("limit")!)
    }

    /// `pfifo_fast`: accepted as a pfifo (its bands only matter with skb priorities).
    public static let pfifoFastPlugin = QdiscPlugin(type: "pfifo_fast", summary: "Linux's default qdisc, modelled as a pfifo (tc-pfifo_fast(8))",
                                                    schema: packetSchema) { c, _ throws(NetworkConfigError) in
        let p = try QdiscParams(c, schema: packetSchema)
        return FifoQdisc(mode: .packets, limit: p.count("limit")!)
    }

    /// bfifo's one parameter: `limit` in bytes, default txqueuelen x MTU (1000 x 1500 B,
    /// `fifo_init`); at least one segment, else every packet is dropped.
    static let byteSchema: ParameterSchema = [
        ParameterSpec("limit", .size, default: .size(1000 * 1500), doc: "queue length in bytes, at least one segment (tc-bfifo(8); default 1000 x 1500 B)"),
    ]

    /// `bfifo`: a tail-drop FIFO limited in bytes.
    public static let bfifoPlugin = QdiscPlugin(type: "bfifo", summary: "tail-drop FIFO limited in bytes (tc-bfifo(8))",
                                                schema: byteSchema) { c, ctx throws(NetworkConfigError) in
        let p = try QdiscParams(c, schema: byteSchema)
        let limit = try p.atLeast("limit", p.size("limit"), Int64(ctx.mtu),
                                  "at least one segment (\(ctx.mtu) bytes): a smaller limit drops every packet")
        return FifoQdisc(mode: .bytes, limit: limit!)
    }
}
