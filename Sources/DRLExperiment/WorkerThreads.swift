import Foundation

/// Runs one body on several POSIX threads and joins them all.
///
/// `pthread_create` reports failure (e.g. when the process is out of threads or address space);
/// the body then runs on fewer threads, at least on the calling one, instead of waiting forever
/// for a thread that never started (a `Thread` + `DispatchGroup` pool hangs in that case).
enum WorkerThreads {
    /// Runs `body` on `count` threads (the calling thread is one of them) and returns when all
    /// have returned.
    static func run(count: Int, stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        final class Box: @unchecked Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        var threads: [pthread_t] = []
        for _ in 1..<max(1, count) {
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            pthread_attr_setstacksize(&attr, stackSize)
            let box = Unmanaged.passRetained(Box(body)).toOpaque()
            var t = pthread_t()
            let rc = pthread_create(&t, &attr, { arg in
                let b = Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue()
                b.body()
                return nil
            }, box)
            pthread_attr_destroy(&attr)
            if rc != 0 {
                Unmanaged<Box>.fromOpaque(box).release()
                break
            }
            threads.append(t)
        }
        // The calling thread works too (its stack is the process's main or a worker stack).
        body()
        for t in threads { pthread_join(t, nil) }
    }
}
