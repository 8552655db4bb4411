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
#define _GNU_SOURCE  /* pthread_getattr_np */
#include <jni.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

/* PostgreSQL's GUC, a thread-local in libpg_query: the scanner reads it when it starts on a text. */
extern __thread bool standard_conforming_strings;

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

/* Copies the NUL-terminated UTF-8 text out of the Java array; NULL when it is not NUL-terminated or memory ran out. */
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


/*
 * Stack. libpg_query 15-4.0.0 writes its JSON by recursing over the tree without any stack-depth check, and a
 * left-associative chain (SELECT 1+1+1+...) nests one level per two bytes of text without the grammar's own depth
 * limit stopping it: on a thread's ordinary stack a few kilobytes of SQL would crash the whole JVM. Measured on this
 * library, the deepest-nesting constructs use at most about 70 bytes of stack per byte of text (the grammar-limited
 * ones, subqueries and parentheses, at most 10,000 levels of about 400 bytes); STACK_PER_BYTE allows 7 times that.
 * A call whose bound fits in what is left of the calling thread's stack runs there (the common, short statement).
 * A longer one runs on the same thread but on a stack of its own, switched to with swapcontext: the stack is sized
 * by the bound, reserved rather than committed (the kernel backs only the pages touched) and has a guard page below
 * it. Each thread keeps its stack for the next call up to STACK_KEEP; larger ones are unmapped after the call.
 * Nothing on that stack calls back into the JVM, and the thread never leaves native code while on it.
 */
#define STACK_BASE ((size_t) 256 << 10)
#define STACK_PER_BYTE ((size_t) 512)
#define STACK_MARGIN ((size_t) 128 << 10)   /* the JVM's guard zones at the low end of its threads' stacks, and slack */
#define STACK_KEEP ((size_t) 64 << 20)
#define STACK_RELEASE ((size_t) 8 << 20)    /* after a call this deep may have run, give the touched pages back */
#define STACK_MAX ((size_t) 64 << 30)

typedef enum { CALL_PARSE, CALL_PLPGSQL, CALL_SCAN } CallKind;

typedef struct {
    CallKind kind;
    const char *sql;
    bool scs;
    PgQueryParseResult parse;
    PgQueryPlpgsqlParseResult plpgsql_result;
    PgQueryScanResult scan;
} Call;

static void run_call(Call *c) {
    bool saved = standard_conforming_strings;
    standard_conforming_strings = c->scs;
    switch (c->kind) {
        case CALL_PARSE: c->parse = pg_query_parse(c->sql); break;
        case CALL_PLPGSQL: c->plpgsql_result = pg_query_parse_plpgsql(c->sql); break;
        case CALL_SCAN: c->scan = pg_query_scan(c->sql); break;
    }
    standard_conforming_strings = saved;
}

/* Lowest address of the calling thread's stack, looked up once per thread; NULL when unknown. */
static __thread char *stack_low;
static __thread bool stack_low_known;

static size_t stack_left(void) {
    if (!stack_low_known) {
        pthread_attr_t a;
        void *lo = NULL;
        size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &a) == 0) {
            if (pthread_attr_getstack(&a, &lo, &size) != 0) lo = NULL;
            pthread_attr_destroy(&a);
        }
        stack_low = lo;
        stack_low_known = true;
    }
    char here;
    if (stack_low == NULL || &here <= stack_low) return 0;
    return (size_t) (&here - stack_low);
}

/* A reserved stack with a guard page at its low end. */
typedef struct {
    char *base;   /* the mapping, guard page first */
    size_t size;  /* of the mapping */
} Stack;

static __thread Stack kept;          /* this thread's stack for long texts, reused */
static __thread Call *switched_call; /* the call the switched-to stack runs */
static __thread ucontext_t caller_context;
static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void release_kept(void *unused) {
    (void) unused;
    if (kept.base != NULL) munmap(kept.base, kept.size);
    kept.base = NULL;
    kept.size = 0;
}

static void make_kept_key(void) {
    (void) pthread_key_create(&kept_key, release_kept);
}

static bool map_stack(Stack *st, size_t need, size_t page) {
    size_t size = (need + page - 1) / page * page + page;
    char *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (base == MAP_FAILED) return false;
    if (mprotect(base, page, PROT_NONE) != 0) { munmap(base, size); return false; }
    st->base = base;
    st->size = size;
    return true;
}

static void on_switched_stack(void) {
    run_call(switched_call);
    /* returning resumes caller_context (uc_link) */
}

/* Runs the call where its stack bound fits; NULL when it ran, else why it could not run. */
static const char *run_guarded(Call *c) {
    size_t len = strlen(c->sql);
    if (len > (STACK_MAX - STACK_BASE) / STACK_PER_BYTE) return "statement too long to parse safely";
    /* The scanner does not recurse: a fixed stack does. */
    size_t need = c->kind == CALL_SCAN ? STACK_BASE : STACK_BASE + len * STACK_PER_BYTE;
    size_t left = stack_left();
    if (left > STACK_MARGIN && need <= left - STACK_MARGIN) {
        run_call(c);
        return NULL;
    }
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    Stack st = { NULL, 0 };
    bool keep = need <= STACK_KEEP;
    if (keep) {
        if (kept.base == NULL || kept.size < need + page) {
            if (pthread_once(&kept_once, make_kept_key) != 0) return "could not set up a parser stack";
            release_kept(NULL);
            if (!map_stack(&kept, need < ((size_t) 4 << 20) ? (size_t) 4 << 20 : need, page)) {
                return "not enough address space for the stack this statement may need";
            }
            (void) pthread_setspecific(kept_key, &kept);  /* non-NULL: the destructor runs at thread exit */
        }
        st = kept;
    } else if (!map_stack(&st, need, page)) {
        return "not enough address space for the stack this statement may need";
    }
    ucontext_t callee;
    const char *failed = NULL;
    if (getcontext(&callee) != 0) {
        failed = "could not set up a parser stack";
    } else {
        callee.uc_stack.ss_sp = st.base + page;
        callee.uc_stack.ss_size = st.size - page;
        callee.uc_link = &caller_context;
        makecontext(&callee, on_switched_stack, 0);
        switched_call = c;
        if (swapcontext(&caller_context, &callee) != 0) failed = "could not switch to the parser stack";
        switched_call = NULL;
    }
    if (!keep) munmap(st.base, st.size);
    else if (need > STACK_RELEASE) (void) madvise(st.base + page, st.size - page, MADV_DONTNEED);
    return failed;
}

/*
 * What every entry point does first: the text in, the call run on a stack that fits it. False (with the error
 * reported to Java, or a Java exception pending) when there is no result to read.
 */
static bool run_text(JNIEnv *env, jbyteArray text, jboolean scs, CallKind kind, jobjectArray errorMessage,
                     jintArray errorCursor, Call *c) {
    char *sql = copy_text(env, text);
    if (sql == NULL) {
        if (!(*env)->ExceptionCheck(env)) report(env, errorMessage, errorCursor, "text not passed as NUL-terminated UTF-8 or out of memory", 0);
        return false;
    }
    c->kind = kind;
    c->sql = sql;
    c->scs = scs == JNI_TRUE;
    const char *failed = run_guarded(c);
    free(sql);
    if (failed != NULL) {
        report(env, errorMessage, errorCursor, failed, 0);
        return false;
    }
    return true;
}

JNIEXPORT jbyteArray JNICALL Java_dev_gatehouse_sql_pg_PgNative_parse0(
        JNIEnv *env, jclass cls, jbyteArray text, jboolean scs, jobjectArray errorMessage, jintArray errorCursor) {
    (void) cls;
    Call c = { 0 };
    if (!run_text(env, text, scs, CALL_PARSE, errorMessage, errorCursor, &c)) return NULL;
    PgQueryParseResult r = c.parse;
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
    Call c = { 0 };
    if (!run_text(env, text, scs, CALL_PLPGSQL, errorMessage, errorCursor, &c)) return NULL;
    PgQueryPlpgsqlParseResult r = c.plpgsql_result;
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
    /* Through the same runner, so that a nearly full caller stack is no risk either. */
    Call c = { 0 };
    if (!run_text(env, text, scs, CALL_SCAN, errorMessage, errorCursor, &c)) return NULL;
    PgQueryScanResult r = c.scan;
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
