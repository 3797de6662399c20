import CCrypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 (OpenSSL's EVP interface): the one wrapper of libcrypto in PeerLens. Ingestion records the digest of
/// every file it reads, so that a run can be traced to the exact bytes; reports fingerprint the store and their
/// inputs with `hex(_:)`.
public enum SHA256Digest {
    /// Lower-case hex SHA-256 of `bytes` (OpenSSL's one-shot EVP digest).
    public static func hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &digest, &length, EVP_sha256(), nil)
        }
        precondition(ok == 1, "SHA-256 unavailable in libcrypto")
        return hexText(digest.prefix(Int(length)))
    }

    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    public static func hex(_ text: String) -> String { hex(Array(text.utf8)) }

    /// Lower-case hex SHA-256 of the file at `path`. The file is memory-mapped rather than read, so hashing
    /// a file that is being ingested at the same time costs no second copy of its bytes.
    ///
    /// - Throws: `StoreError.io` when the file cannot be opened, inspected or mapped.
    public static func hex(ofFile path: String) throws(StoreError) -> String {
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
        return hexText(digest.prefix(Int(length)))
    }

    /// Bytes as lower-case hex.
    static func hexText(_ bytes: ArraySlice<UInt8>) -> String {
        let hex: [Character] = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return text
    }
}
