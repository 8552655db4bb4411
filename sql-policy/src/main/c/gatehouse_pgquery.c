/*
 * JNI shim between dev.gatehouse.sql.pg.PgNative and libpg_query (linked statically).
 *
 * Every entry point takes the text as a Java byte[] of UTF-8 ending in an explicit NUL (the Java side
 * refuses text holding a NUL or an unpaired surrogate, so the bytes are exactly the statement), runs one
 * libpg_query call with standard_conforming_strings set on the calling thread, restores the flag, frees
 * every libpg_query result and reports errors through out-parameters: nothing here throws. A pending Java
 * exception can only come from the JVM itself (an allocation failing), and then the return value is NULL.
 *
 * Out-parameters, shared by every call:
 *   errorMessage: byte[1][]  element 0 receives the error message as UTF-8, or stays null on success
 *   errorCursor:  int[1]     element 0 receives libpg_query's cursorpos (1-based character position, 0 = none)
 */
#include <jni.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* PostgreSQL's GUC, a thread-local in libpg_query: the scanner reads it when it starts on a text. */
extern __thread bool standard_conforming_strings;

/* Copies the NUL-terminated UTF-8 text out of the Java array; NULL when it is not NUL-terminated or memory ran out. */
/*
 * libpg_query's sources point the process's stderr (fd 2) at a pipe around every parse, scan and split, to capture
 * what the parser prints (Debian's 15-4.0.0 build leaves that out; other builds have it). Descriptors are
 * process-wide: two threads parsing at once could leave fd 2 pointing at a closed pipe, and the JVM's logging would
 * go nowhere. The build links libpg_query with --wrap=pipe,dup,dup2, so in any build such calls reach these instead:
 * no descriptor is made or moved (its fcntl, read and close then see -1 and do nothing), and whatever the parser
 * prints goes to the real stderr. Nothing else in this library calls them.
 */
int __wrap_pipe(int fds[2]);
int __wrap_dup(int fd);
int __wrap_dup2(int oldfd, int newfd);

int __wrap_pipe(int fds[2]) {
    fds[0] = -1;
    fds[1] = -1;
    return 0;
}

int __wrap_dup(int fd) {
    (void) fd;
    return -1;
}

int __wrap_dup2(int oldfd, int newfd) {
    (void) oldfd;
    return newfd;
}

static char *copy_text(JNIEnv *env, jbyteArray text) {
    jsize n = (*env)->GetArrayLength(env, text);
    if (n < 1) return NULL;
    char *buf = malloc((size_t) n);
    if (buf == NULL) return NULL;
    (*env)->GetByteArrayRegion(env, text, 0, n, (jbyte *) buf);
    if ((*env)->ExceptionCheck(env) || buf[n - 1] != '\0') { free(buf); return NULL; }
    return buf;
}

static jbyteArray to_bytes(JNIEnv *env, const char *s, size_t len) {
    if (len > (size_t) INT32_MAX) return NULL;
    jbyteArray out = (*env)->NewByteArray(env, (jsize) len);
    if (out == NULL) return NULL;
    (*env)->SetByteArrayRegion(env, out, 0, (jsize) len, (const jbyte *) s);
    return out;
}

static void report(JNIEnv *env, jobjectArray errorMessage, jintArray errorCursor, const char *message, int cursor) {
    const char *m = message != NULL ? message : "libpg_query reported an error without a message";
    jbyteArray bytes = to_bytes(env, m, strlen(m));
    if (bytes == NULL) return;
    (*env)->SetObjectArrayElement(env, errorMessage, 0, bytes);
    jint c = cursor;
    (*env)->SetIntArrayRegion(env, errorCursor, 0, 1, &c);
}

static void report_error(JNIEnv *env, jobjectArray errorMessage, jintArray errorCursor, const PgQueryError *e) {
    report(env, errorMessage, errorCursor, e->message, e->cursorpos);
}

JNIEXPORT jbyteArray JNICALL Java_dev_gatehouse_sql_pg_PgNative_parse0(
        JNIEnv *env, jclass cls, jbyteArray text, jboolean scs, jobjectArray errorMessage, jintArray errorCursor) {
    (void) cls;
    char *sql = copy_text(env, text);
    if (sql == NULL) {
        if (!(*env)->ExceptionCheck(env)) report(env, errorMessage, errorCursor, "text not passed as NUL-terminated UTF-8 or out of memory", 0);
        return NULL;
    }
    bool saved = standard_conforming_strings;
    standard_conforming_strings = scs == JNI_TRUE;
    PgQueryParseResult r = pg_query_parse(sql);
    standard_conforming_strings = saved;
    free(sql);
    jbyteArray out = NULL;
    if (r.error != NULL) report_error(env, errorMessage, errorCursor, r.error);
    else if (r.parse_tree == NULL) report(env, errorMessage, errorCursor, "libpg_query returned no parse tree", 0);
    else out = to_bytes(env, r.parse_tree, strlen(r.parse_tree));
    pg_query_free_parse_result(r);
    return out;
}

JNIEXPORT jbyteArray JNICALL Java_dev_gatehouse_sql_pg_PgNative_parsePlpgsql0(
        JNIEnv *env, jclass cls, jbyteArray text, jboolean scs, jobjectArray errorMessage, jintArray errorCursor) {
    (void) cls;
    char *sql = copy_text(env, text);
    if (sql == NULL) {
        if (!(*env)->ExceptionCheck(env)) report(env, errorMessage, errorCursor, "text not passed as NUL-terminated UTF-8 or out of memory", 0);
        return NULL;
    }
    bool saved = standard_conforming_strings;
    standard_conforming_strings = scs == JNI_TRUE;
    PgQueryPlpgsqlParseResult r = pg_query_parse_plpgsql(sql);
    standard_conforming_strings = saved;
    free(sql);
    jbyteArray out = NULL;
    if (r.error != NULL) report_error(env, errorMessage, errorCursor, r.error);
    else if (r.plpgsql_funcs == NULL) report(env, errorMessage, errorCursor, "libpg_query returned no PL/pgSQL tree", 0);
    else out = to_bytes(env, r.plpgsql_funcs, strlen(r.plpgsql_funcs));
    pg_query_free_plpgsql_parse_result(r);
    return out;
}

/* Tokens as 4 ints each: start byte, end byte (exclusive), token number, keyword kind. */
JNIEXPORT jintArray JNICALL Java_dev_gatehouse_sql_pg_PgNative_scan0(
        JNIEnv *env, jclass cls, jbyteArray text, jboolean scs, jobjectArray errorMessage, jintArray errorCursor) {
    (void) cls;
    char *sql = copy_text(env, text);
    if (sql == NULL) {
        if (!(*env)->ExceptionCheck(env)) report(env, errorMessage, errorCursor, "text not passed as NUL-terminated UTF-8 or out of memory", 0);
        return NULL;
    }
    bool saved = standard_conforming_strings;
    standard_conforming_strings = scs == JNI_TRUE;
    PgQueryScanResult r = pg_query_scan(sql);
    standard_conforming_strings = saved;
    free(sql);
    jintArray out = NULL;
    if (r.error != NULL) {
        report_error(env, errorMessage, errorCursor, r.error);
    } else {
        PgQuery__ScanResult *scan = pg_query__scan_result__unpack(NULL, r.pbuf.len, (const uint8_t *) r.pbuf.data);
        if (scan == NULL) {
            report(env, errorMessage, errorCursor, "libpg_query's scan result could not be unpacked", 0);
        } else if (scan->n_tokens > (size_t) (INT32_MAX / 4)) {
            report(env, errorMessage, errorCursor, "too many tokens", 0);
        } else {
            size_t n = scan->n_tokens * 4;
            jint *ints = malloc(n > 0 ? n * sizeof(jint) : 1);
            if (ints == NULL) {
                report(env, errorMessage, errorCursor, "out of memory", 0);
            } else {
                for (size_t i = 0; i < scan->n_tokens; i++) {
                    const PgQuery__ScanToken *t = scan->tokens[i];
                    ints[4 * i] = t->start;
                    ints[4 * i + 1] = t->end;
                    ints[4 * i + 2] = (jint) t->token;
                    ints[4 * i + 3] = (jint) t->keyword_kind;
                }
                out = (*env)->NewIntArray(env, (jsize) n);
                if (out != NULL) (*env)->SetIntArrayRegion(env, out, 0, (jsize) n, ints);
                free(ints);
            }
            pg_query__scan_result__free_unpacked(scan, NULL);
        }
    }
    pg_query_free_scan_result(r);
    return out;
}
