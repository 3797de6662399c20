#include <sqlite3.h>

/// sqlite3_config is variadic, so Swift cannot call it. Memory statistics take
/// a global mutex on every allocation; PeerLens does not use them. Must run
/// before SQLite initialises (returns SQLITE_MISUSE afterwards, which is harmless).
static inline int peerlens_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
