#ifndef PEERLENS_CSQLITE_SHIM_H
#define PEERLENS_CSQLITE_SHIM_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/// sqlite3_config is variadic, so Swift cannot call it. Memory statistics take
/// a global mutex on every allocation; PeerLens does not use them. Must run
/// before SQLite initialises (returns SQLITE_MISUSE afterwards, which is harmless).
static inline int peerlens_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---------------------------------------------------------------------------
 * pl_batch: a read-only virtual table over rows that PeerLens has already
 * validated and laid out in memory, so a whole batch is stored with one
 * `INSERT … SELECT … FROM temp.<batch>` instead of one statement per row
 * (per-statement set-up is most of SQLite's cost for small rows).
 *
 * The rows live in a pl_batch_rows owned by Swift; its address is passed as the
 * first argument of CREATE VIRTUAL TABLE, the column count as the second.
 * ------------------------------------------------------------------------- */

enum { PL_NULL = 0, PL_INT = 1, PL_REAL = 2, PL_TEXT = 3 };

typedef struct pl_value {
    int32_t type;        /* PL_NULL, PL_INT, PL_REAL or PL_TEXT */
    int32_t length;      /* PL_TEXT: bytes */
    int64_t integer;     /* PL_INT; PL_TEXT: offset into the arena */
    double real;         /* PL_REAL */
} pl_value;

typedef struct pl_batch_rows {
    int32_t columns;
    int32_t rows;
    const pl_value *values;   /* rows × columns, row-major */
    const char *arena;        /* text bytes */
} pl_batch_rows;

typedef struct pl_batch_vtab {
    sqlite3_vtab base;
    const pl_batch_rows *batch;
} pl_batch_vtab;

typedef struct pl_batch_cursor {
    sqlite3_vtab_cursor base;
    int32_t row;
} pl_batch_cursor;

static inline int pl_batch_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
    (void)aux;
    if (argc < 5) { *err = sqlite3_mprintf("pl_batch needs a batch address and a column count"); return SQLITE_ERROR; }
    const pl_batch_rows *batch = (const pl_batch_rows *)(uintptr_t)strtoull(argv[3], NULL, 10);
    int columns = atoi(argv[4]);
    if (batch == NULL || columns < 1 || columns > 64) { *err = sqlite3_mprintf("pl_batch: bad arguments"); return SQLITE_ERROR; }
    char sql[64 * 6 + 32];
    int n = snprintf(sql, sizeof sql, "CREATE TABLE x(");
    for (int i = 0; i < columns; i++) n += snprintf(sql + n, sizeof sql - (size_t)n, i ? ",c%d" : "c%d", i);
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    int rc = sqlite3_declare_vtab(db, sql);
    if (rc != SQLITE_OK) return rc;
    pl_batch_vtab *vtab = (pl_batch_vtab *)sqlite3_malloc(sizeof *vtab);
    if (vtab == NULL) return SQLITE_NOMEM;
    memset(vtab, 0, sizeof *vtab);
    vtab->batch = batch;
    *out = &vtab->base;
    return SQLITE_OK;
}

static inline int pl_batch_disconnect(sqlite3_vtab *vtab) { sqlite3_free(vtab); return SQLITE_OK; }

static inline int pl_batch_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
    (void)vtab;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static inline int pl_batch_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out) {
    (void)vtab;
    pl_batch_cursor *cursor = (pl_batch_cursor *)sqlite3_malloc(sizeof *cursor);
    if (cursor == NULL) return SQLITE_NOMEM;
    memset(cursor, 0, sizeof *cursor);
    *out = &cursor->base;
    return SQLITE_OK;
}

static inline int pl_batch_close(sqlite3_vtab_cursor *cursor) { sqlite3_free(cursor); return SQLITE_OK; }

static inline int pl_batch_filter(sqlite3_vtab_cursor *cursor, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
    (void)idxNum; (void)idxStr; (void)argc; (void)argv;
    ((pl_batch_cursor *)cursor)->row = 0;
    return SQLITE_OK;
}

static inline int pl_batch_next(sqlite3_vtab_cursor *cursor) { ((pl_batch_cursor *)cursor)->row++; return SQLITE_OK; }

static inline int pl_batch_eof(sqlite3_vtab_cursor *cursor) {
    pl_batch_cursor *c = (pl_batch_cursor *)cursor;
    return c->row >= ((pl_batch_vtab *)c->base.pVtab)->batch->rows;
}

static inline int pl_batch_column(sqlite3_vtab_cursor *cursor, sqlite3_context *context, int column) {
    pl_batch_cursor *c = (pl_batch_cursor *)cursor;
    const pl_batch_rows *batch = ((pl_batch_vtab *)c->base.pVtab)->batch;
    const pl_value *v = &batch->values[(int64_t)c->row * batch->columns + column];
    switch (v->type) {
    case PL_INT: sqlite3_result_int64(context, v->integer); break;
    case PL_REAL: sqlite3_result_double(context, v->real); break;
    case PL_TEXT: sqlite3_result_text(context, batch->arena + v->integer, v->length, SQLITE_STATIC); break;
    default: sqlite3_result_null(context); break;
    }
    return SQLITE_OK;
}

static inline int pl_batch_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
    *rowid = ((pl_batch_cursor *)cursor)->row;
    return SQLITE_OK;
}

static const sqlite3_module pl_batch_module = {
    0,                    /* iVersion */
    pl_batch_connect,     /* xCreate */
    pl_batch_connect,     /* xConnect */
    pl_batch_best_index,
    pl_batch_disconnect,
    pl_batch_disconnect,  /* xDestroy */
    pl_batch_open,
    pl_batch_close,
    pl_batch_filter,
    pl_batch_next,
    pl_batch_eof,
    pl_batch_column,
    pl_batch_rowid,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/// Registers the pl_batch module on a connection.
static inline int peerlens_register_batch_module(sqlite3 *db) {
    return sqlite3_create_module(db, "pl_batch", &pl_batch_module, NULL);
}

#endif
