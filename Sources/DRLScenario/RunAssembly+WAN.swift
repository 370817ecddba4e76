import DRLNetwork

extension RunAssembly {
    /// The run's WAN paths, whichever model `wan.model` built (nil without a `wan:` section).
    public var wanPaths: (any WANPaths)? {
        component(FlowNetwork.self) ?? component(DRLNetwork.Network.self)
    }
}
