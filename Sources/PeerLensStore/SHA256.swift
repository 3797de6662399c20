import CCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of a file as stored on disk (OpenSSL's EVP interface), recorded
/// with each ingest run so a run can be traced to the exact bytes it read.
enum FileDigest {
    /// Lower-case hex SHA-256 of the file at `path`. The file is memory-mapped rather than read, so hashing
    /// a file that is being ingested at the same time costs no second copy of its bytes.
    static func sha256(path: String) throws(StoreError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StoreError.io(file: path, "cannot be opened to compute its SHA-256") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.io(file: path, "cannot be inspected to compute its SHA-256") }
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed: out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { preconditionFailure("SHA-256 unavailable in libcrypto") }
        let size = Int(info.st_size)
        if size > 0 {
            guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
                throw StoreError.io(file: path, "cannot be mapped to compute its SHA-256")
            }
            defer { munmap(mapping, size) }
            _ = madvise(mapping, size, MADV_SEQUENTIAL)
            let chunk = 1 << 22
            var offset = 0
            while offset < size {
                let n = min(chunk, size - offset)
                EVP_DigestUpdate(context, mapping + offset, n)
                // Unmap what was hashed so the mapping does not inflate the resident set (pages stay cached).
                _ = madvise(mapping + offset, n, MADV_DONTNEED)
                offset += n
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
