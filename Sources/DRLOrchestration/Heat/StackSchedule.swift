import DRLSimCore

/// When each resource of a stack is created: Heat 2015.1 (Kilo) `heat/engine/stack.py`
/// `Stack.stack_task` runs `scheduler.DependencyTaskGroup` over the template's dependency graph
/// (`get_resource` references and `depends_on`), which starts every resource whose dependencies
/// are complete at once; the whole group is one `scheduler.TaskRunner` stepped every
/// `wait_time` = 1 s (`TaskRunner.__call__`, `_sleep(wait_time)`). A resource's `create`
/// yields after `handle_create` and then until `check_create_complete` is true, so its
/// completion is seen at the first 1 s step at or after its work ends (at least one step), and
/// its dependents start at that step. The stack is complete when its last resource is.
public struct StackSchedule: Sendable, Hashable {
    /// One resource's creation.
    public struct Entry: Sendable, Hashable {
        /// Resource name.
        public var name: String
        /// Seconds after the stack's resources start (after the stack's fixed cost).
        public var start: SimDuration
        /// When Heat sees it complete.
        public var end: SimDuration
    }
    /// Entries in template order.
    public var entries: [Entry]
    /// Fixed cost before the first resource starts (template validation, stack record).
    public var base: SimDuration
    /// The whole stack: `base` + the last completion (the critical path, polling included).
    public var total: SimDuration { base + (entries.map(\.end).max() ?? .zero) }
    /// The resources on the critical path, first to last.
    public var criticalPath: [String]
}
