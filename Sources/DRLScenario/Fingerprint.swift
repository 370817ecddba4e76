import DRLSimCore
/// Content hashes that identify scenario inputs (not cryptographic; stable across machines).
public enum Fingerprint {
    /// The FNV-1a 64-bit hash of `text`'s UTF-8 bytes, as 16 lowercase hex digits.
    public static func fnv1a64Hex(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
