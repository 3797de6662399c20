import CCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of a file as stored on disk (OpenSSL's EVP interface), recorded
/// with each ingest run so a run can be traced to the exact bytes it read.
enum FileDigest {
    /// Lower-case hex SHA-256 of the file at `path`.
    static func sha256(path: String) throws(StoreError) -> String {
        guard let file = fopen(path, "rb") else { throw StoreError.io(file: path, "cannot be opened to compute its SHA-256") }
        defer { fclose(file) }
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { preconditionFailure("SHA-256 unavailable in libcrypto") }
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = fread(buffer, 1, chunk, file)
            if n > 0 { EVP_DigestUpdate(context, buffer, n) }
            if n < chunk {
                if ferror(file) != 0 { throw StoreError.io(file: path, "read error while computing its SHA-256") }
                break
            }
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        let hex: [Character] = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(64)
        for byte in digest.prefix(Int(length)) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return text
    }
}
