/// How DRLCloud runs one protection action between the primary and the backup's vault: the
/// data-path plug-in, keyed by the action's name.
///
/// `ProtectionService.protect` checks that the resource exists on the primary with the path's
/// `resourceKind`, creates the `ProtectionRun`, then calls `start`. The path schedules its work
/// (local steps with `ProtectionService.step`, uploads with `ProtectionService.upload` or the
/// service's `network`), stores what it captured in the container (`SwiftStore.addItem`, the
/// recovery point once the container is ready) and ends with
/// `service.finish(run, status: .completed)`. Aborts and censoring are the service's. The
/// paper's four are `StandardDataPath`; a package adds one as a `DataPathPlugin` on the
/// scenario layer's `Plugins` (registered on each run's service), or with
/// `ProtectionService.register` on a service it assembles itself.
public protocol DataPath {
    /// The action it runs (the `action` column).
    var action: ProtectionActionName { get }
    /// VM or volume.
    var resourceKind: ResourceKind { get }
    /// Starts `run` into `container`.
    func start(_ run: ProtectionRun, container: SwiftContainer, service: ProtectionService)
}
