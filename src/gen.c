/* gen.c - synthetic leads, events and outcomes with planted, documented behaviour.
 *
 * The `gen` verb's engine. Every lead gets fit attributes and a hidden buying
 * intent (log-odds, never written) that is a sum of per-value fit effects plus
 * noise. The intent drives how often each event type happens and whether the
 * deal is won, so a scoring model has something real to find; an engagement
 * multiplier that does not affect winning adds the noise of real data (busy
 * readers who never buy). Leads created from 2025-07-01 follow a drifted regime.
 * README.txt, written from the same constants, lists every effect.
 *
 * Everything is streamed: the leads are produced in creation order (one hour
 * of the two years at a time, the count of each hour drawn from a sequential
 * binomial so the total is exact), and each lead's events are produced already
 * in time order, so memory is a few small arrays whatever the size. Text is
 * formatted by hand into 1 MiB buffers; no stdio formatting, no libc time or
 * locale functions, so the same seed gives the same bytes everywhere. (The one
 * outside dependency is libm's exp/log inside the GSL distributions; outputs
 * are rounded to seconds and cents, and were checked identical across -O0 to
 * -O3 -march=native and glibc's FMA and SSE2 variants.)
 *
 * Not for: reading data back (csvread/dataset do that), or any randomness the
 * rest of leadsim needs. */
#include "gen.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* ---------------------------- Calendar ---------------------------- */

#define T_START INT64_C(1704067200) /* 2024-01-01 00:00:00 UTC: earliest created_at */
#define T_END INT64_C(1767225600)   /* 2026-01-01 00:00:00 UTC: snapshot, nothing at or after */
#define T_DRIFT INT64_C(1751328000) /* 2025-07-01 00:00:00 UTC: leads from here are drifted */
#define N_HOURS ((int)((T_END - T_START) / 3600))
#define DAY 86400.0
#define WEEK_SEC INT64_C(604800)
#define MONDAY_EPOCH INT64_C(345600) /* 1970-01-05 00:00:00, a Monday */
#define CLOCK_BUCKETS 4096 /* lookup table of the activity clock's inverse */

/* Relative weight of each local day of the week (Monday first) and local hour
 * of the day, for lead creation and for activity. Few leads at night and at
 * weekends; activity (email reading) reaches a little further into evenings. */
static const double day_w[7] = {1.00, 1.10, 1.08, 1.00, 0.85, 0.22, 0.18};
static const double lead_hour_w[24] = {
    0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.35, 0.80, 1.00, 1.00, 1.00,
    0.85, 1.00, 1.00, 1.00, 1.00, 0.70, 0.45, 0.30, 0.30, 0.30, 0.15, 0.15};
static const double event_hour_w[24] = {
    0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.06, 0.40, 0.90, 1.00, 1.00, 1.00,
    0.90, 1.00, 1.00, 1.00, 1.00, 0.75, 0.50, 0.35, 0.35, 0.35, 0.15, 0.15};
/* Lead volume by month: March and October are campaign months; summer and
 * December are quiet. On top: 25% growth over the two years, and the days from
 * 24 December to 1 January at 40%. */
static const double month_w[12] = {0.90, 1.00, 1.60, 1.05, 1.00, 0.95,
                                   0.80, 0.75, 1.05, 1.55, 1.05, 0.80};
#define GROWTH 0.25
#define HOLIDAY_W 0.40

/* ---------------------------- Attributes ---------------------------- */

/* One value of a categorical attribute: its share of leads, its effect on the
 * hidden intent (log-odds) and its multiplier on the deal size. */
typedef struct attr_def {
    const char *name;
    double share;
    double fit;
    double deal;
} attr_def;

enum { IND_SOFTWARE, IND_FINANCE, IND_RETAIL, IND_HEALTHCARE, IND_MANUFACTURING,
       IND_EDUCATION, IND_LOGISTICS, IND_PUBLIC, N_IND };
static const attr_def industries[N_IND] = {
    {"software", 0.22, 0.60, 1.10},      {"finance", 0.12, 0.40, 1.30},
    {"retail", 0.14, -0.50, 0.90},       {"healthcare", 0.11, 0.20, 1.10},
    {"manufacturing", 0.13, 0.10, 1.00}, {"education", 0.10, -0.50, 0.80},
    {"logistics", 0.09, 0.00, 1.00},     {"public_sector", 0.09, -0.20, 1.20}};
#define RETAIL_FIT_DRIFT 0.50 /* retail's intent effect for leads created from T_DRIFT */

/* Countries, each with a fixed UTC offset (no daylight saving) for its working
 * hours. */
typedef struct country_def {
    const char *name;
    double share;
    double fit;
    int64_t utc_offset; /* seconds */
} country_def;
#define N_COUNTRY 8
static const country_def countries[N_COUNTRY] = {
    {"US", 0.30, 0.10, -6 * 3600}, {"GB", 0.12, 0.10, 0},         {"DE", 0.12, 0.10, 3600},
    {"FR", 0.08, 0.00, 3600},      {"NL", 0.06, 0.10, 3600},      {"CA", 0.08, 0.05, -5 * 3600},
    {"AU", 0.07, 0.05, 10 * 3600}, {"IN", 0.17, -0.30, 19800}};

enum { ROLE_C_LEVEL, ROLE_VP, ROLE_MANAGER, ROLE_INDIVIDUAL, ROLE_STUDENT, N_ROLE };
static const attr_def roles[N_ROLE] = {
    {"c_level", 0.07, 0.60, 1.25}, {"vp", 0.10, 0.70, 1.20},     {"manager", 0.30, 0.40, 1.00},
    {"individual", 0.40, 0.00, 0.90}, {"student", 0.13, -1.50, 0.60}};
#define STUDENT_EDUCATION 0.50 /* share of students whose industry is education */

#define N_SOURCE 6
static const attr_def sources[N_SOURCE] = {
    {"organic", 0.30, 0.10, 1.0}, {"paid_search", 0.25, 0.00, 1.0}, {"social", 0.15, -0.40, 1.0},
    {"referral", 0.10, 0.60, 1.0}, {"event", 0.10, 0.30, 1.0},      {"partner", 0.10, 0.40, 1.0}};

/* Company size: log-normal employees, clamped to 1..50000, with an intent
 * effect per size band (lower bound inclusive). */
#define EMP_MEDIAN 150.0
#define EMP_SIGMA 1.8
#define EMP_MAX 50000
static const struct {
    long from;
    double fit;
} size_bands[] = {{1, -0.80}, {10, -0.30}, {50, 0.00}, {200, 0.30}, {1000, 0.50}, {5000, 0.40}};
#define N_SIZE_BAND (sizeof size_bands / sizeof size_bands[0])

#define MISSING_EMPLOYEES 0.03 /* share of leads with an empty employees cell */
#define MISSING_ROLE 0.05      /* share with an empty job_role cell */
#define INTENT_BASE (-0.30)    /* centres the intent near 0 */
#define INTENT_NOISE 0.60      /* sd of the part of intent that no attribute explains */
#define ENGAGE_SIGMA 1.00      /* sd of log engagement (mean engagement 1) */
/* total_visits = 1 + Poisson(VISITS_BASE * exp(VISITS_BETA * intent) * sqrt(engagement)) */
#define VISITS_BASE 1.20
#define VISITS_BETA 0.35

/* ---------------------------- Events ---------------------------- */

enum { EV_EMAIL_OPEN, EV_EMAIL_CLICK, EV_WEBINAR, EV_WHITEPAPER, EV_PRICING, EV_CASE_STUDY,
       EV_DEMO, EV_CONTACT, EV_UNSUBSCRIBE, N_EV };
#define N_STREAM EV_UNSUBSCRIBE /* the types drawn from the main activity stream */

/* Expected count at intent 0 and engagement 1 (before EVENT_SCALE), the
 * intent slope of the log rate, and whether the type belongs to the end of the
 * journey (more frequent late in a lead's activity) or to its start. */
typedef struct event_def {
    const char *name;
    double base;
    double beta;
    int late;
} event_def;
static const event_def events[N_EV] = {
    {"email_open", 14.0, 0.15, 0},     {"email_click", 3.5, 0.45, 0},
    {"webinar", 0.9, 1.00, 0},         {"whitepaper_download", 1.6, 0.50, 0},
    {"pricing_page_view", 1.3, 1.30, 1}, {"case_study_view", 1.0, 1.10, 1},
    {"demo_request", 0.10, 1.50, 1},   {"contact_form", 0.12, 1.00, 1},
    {"unsubscribe", 0.0, 0.0, 0}};
#define EVENT_SCALE 1.17 /* brings the mean to about 30 events per lead */
/* Rate multipliers over the three thirds of a lead's activity. */
static const double phase_w[2][3] = {{1.3, 1.0, 0.7}, {0.4, 1.0, 1.6}};
#define WEBINAR_DRIFT_MEAN 2.0 /* drifted regime: webinars ~ Poisson(2), whoever the lead is */
/* P(unsubscribe) = min(UNSUB_MAX, UNSUB_BASE * exp(-UNSUB_BETA * intent)) */
#define UNSUB_BASE 0.05
#define UNSUB_BETA 0.80
#define UNSUB_MAX 0.50
#define ACTIVE_MEDIAN_DAYS 40.0 /* activity window: log-normal, in working-time days */
#define ACTIVE_SIGMA 0.80

/* ---------------------------- Outcomes ---------------------------- */

/* P(won) = logistic(WON_A + WON_B * intent + WON_C * [demo or contact form]);
 * otherwise P(lost) = logistic(LOST_A + LOST_B * intent + LOST_C * [same]). */
#define WON_A (-3.50)
#define WON_B 1.20
#define WON_C 1.50
#define LOST_A (-0.90)
#define LOST_B 0.40
#define LOST_C 1.00
#define WON_LAG_DAYS 50.0  /* created_at to closed_at: log-normal median, working-time days */
#define WON_LAG_SIGMA 0.50
#define WON_GAP_DAYS 10.0  /* and at least this (log-normal median) after the first demo/contact */
#define LOST_LAG_DAYS 35.0
#define LOST_LAG_SIGMA 0.70
#define LOST_GAP_DAYS 5.0
#define GAP_SIGMA 0.60
/* amount = DEAL_MEDIAN * (employees / EMP_MEDIAN)^DEAL_SIZE_EXP * role and industry deal
 * factors * log-normal(0, DEAL_SIGMA), at least DEAL_MIN_CENTS */
#define DEAL_MEDIAN 10000.0
#define DEAL_SIZE_EXP 0.20
#define DEAL_SIGMA 0.50
#define DEAL_MIN_CENTS 50000
#define OPEN_ROW 0.02 /* share of open leads with an explicit `open` row */

/* ---------------------------- Output files ---------------------------- */

#define OUT_BUF (1u << 20)
#define OUT_SLACK 1024u /* room kept for one line: the longest is under 200 bytes */

enum { OUT_LEADS, OUT_EVENTS, OUT_OUTCOMES, OUT_README, N_OUT };
static const char *const out_names[N_OUT] = {"leads.csv", "events.csv", "outcomes.csv",
                                             "README.txt"};

/* An output file. Full buffers are written by a thread of the file's own,
 * so that copying the text into the kernel (about as costly as producing
 * it) overlaps the generation: two buffers, one being filled while the
 * other is written. The bytes and their order do not change. */
typedef struct gen_out {
    char *path;   /* final path */
    char *tmp;    /* temporary path while it exists, else NULL */
    FILE *fp;
    char *buf;    /* OUT_BUF bytes, being filled */
    size_t len;
    int err_no;   /* errno of the first failed write, 0 while all is well */
    int64_t day;  /* day of the cached date text */
    char date[10];
    /* the writer thread; the fields below are shared with it under mu */
    char *spare;      /* OUT_BUF bytes: being written while pending, else free */
    size_t spare_len;
    int pending, quit, werr, started;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} gen_out;

/* Counts for README.txt. */
typedef struct gen_stats {
    long won, lost, open, open_rows;
    long long events;
    long long amount_cents;
} gen_stats;

typedef struct gen_ctx {
    gsl_rng *rng;
    int id_width;
    double *hour_w;    /* creation intensity of each UTC hour from T_START */
    double *hour_rest; /* sum of hour_w from that hour to the end */
    double wk[168];     /* activity clock: weight of each local hour of the week, mean 1 */
    double wk_cum[169]; /* clock seconds at the start of each local hour of the week */
    unsigned char wk_bucket[CLOCK_BUCKETS]; /* hour holding the start of each bucket of a week */
    /* Per-hour and per-lead scratch, grown on demand. */
    int *secs;
    size_t secs_cap;
    double *pos, *wpos; /* sorted positions in (0,1) of stream events and drifted webinars */
    size_t pos_cap, wpos_cap;
    int64_t *ev_t;      /* the lead's events: UTC seconds and type, in time order */
    unsigned char *ev_k;
    size_t ev_cap, evk_cap;
    gen_stats st;
    gen_out out[N_OUT];
} gen_ctx;

static void *out_writer(void *arg) {
    gen_out *o = arg;
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (!o->pending && !o->quit) pthread_cond_wait(&o->cv, &o->mu);
        if (!o->pending) break; /* quit, nothing left */
        char *b = o->spare;
        size_t n = o->spare_len;
        pthread_mutex_unlock(&o->mu);
        errno = 0;
        int e = fwrite(b, 1, n, o->fp) != n ? (errno ? errno : EIO) : 0;
        pthread_mutex_lock(&o->mu);
        if (e && !o->werr) o->werr = e;
        o->pending = 0;
        pthread_cond_broadcast(&o->cv);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

/* Wait until the writer is idle and take its first error into err_no. */
static void out_wait(gen_out *o) {
    pthread_mutex_lock(&o->mu);
    while (o->pending) pthread_cond_wait(&o->cv, &o->mu);
    if (o->werr && !o->err_no) o->err_no = o->werr;
    pthread_mutex_unlock(&o->mu);
}

/* Stop the writer after its last buffer (safe when it never started). */
static void out_stop(gen_out *o) {
    if (!o->started) return;
    pthread_mutex_lock(&o->mu);
    o->quit = 1;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
    pthread_join(o->th, NULL);
    o->started = 0;
    if (o->werr && !o->err_no) o->err_no = o->werr;
}

/* Hand the buffer to the writer (or write it here when there is none).
 * Errors are remembered in o->err_no and stop later writes; the caller
 * checks gen_failed() once per lead. */
static void out_flush(gen_out *o) {
    if (o->err_no == 0 && o->len > 0) {
        if (o->started) {
            out_wait(o);
            if (o->err_no == 0) {
                pthread_mutex_lock(&o->mu);
                char *b = o->spare;
                o->spare = o->buf;
                o->buf = b;
                o->spare_len = o->len;
                o->pending = 1;
                pthread_cond_broadcast(&o->cv);
                pthread_mutex_unlock(&o->mu);
            }
        } else {
            errno = 0;
            if (fwrite(o->buf, 1, o->len, o->fp) != o->len) o->err_no = errno ? errno : EIO;
        }
    }
    o->len = 0;
}

/* Where the next line goes: at least OUT_SLACK bytes are free there. */
static char *out_room(gen_out *o) {
    if (o->len > OUT_BUF - OUT_SLACK) out_flush(o);
    return o->buf + o->len;
}

static void out_done(gen_out *o, const char *p) { o->len = (size_t)(p - o->buf); }

static void out_bytes(gen_out *o, const char *s, size_t n) {
    while (n > 0) {
        size_t k = OUT_BUF - o->len;
        if (k == 0) {
            out_flush(o);
            k = OUT_BUF;
        }
        if (k > n) k = n;
        memcpy(o->buf + o->len, s, k);
        o->len += k;
        s += k;
        n -= k;
    }
}

static int gen_failed(const gen_ctx *g) {
    for (int i = 0; i < N_OUT; i++)
        if (g->out[i].err_no) return 1;
    return 0;
}

/* ---------------------------- Formatting ---------------------------- */

static char *put_str(char *p, const char *s) {
    while (*s) *p++ = *s++;
    return p;
}

static char *put_ulong(char *p, unsigned long long v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

/* v in exactly `width` digits, zero-padded (v must fit). */
static char *put_padded(char *p, unsigned long long v, int width) {
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static char *put_2(char *p, unsigned v) {
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

static char *put_cents(char *p, long long cents) {
    p = put_ulong(p, (unsigned long long)(cents / 100));
    *p++ = '.';
    return put_2(p, (unsigned)(cents % 100));
}

/* Howard Hinnant's civil_from_days: days since 1970-01-01 to a Gregorian date. */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* "YYYY-MM-DD HH:MM:SS" of t (UTC, t >= 0); the date text is cached per file
 * because consecutive rows are mostly on the same day. */
static char *put_ts(gen_out *o, char *p, int64_t t) {
    int64_t day = t / 86400;
    unsigned sod = (unsigned)(t - day * 86400);
    if (day != o->day) {
        int y;
        unsigned m, d;
        civil_from_days(day, &y, &m, &d);
        put_padded(o->date, (unsigned long long)y, 4);
        o->date[4] = '-';
        put_2(o->date + 5, m);
        o->date[7] = '-';
        put_2(o->date + 8, d);
        o->day = day;
    }
    memcpy(p, o->date, 10);
    p[10] = ' ';
    p = put_2(p + 11, sod / 3600);
    *p++ = ':';
    p = put_2(p, sod / 60 % 60);
    *p++ = ':';
    return put_2(p, sod % 60);
}

/* x >= 0 with `dec` decimals, rounded half away from zero, without the locale. */
static void fmt_fixed(char *buf, double x, int dec) {
    double scale = 1.0;
    for (int i = 0; i < dec; i++) scale *= 10.0;
    int neg = x < 0;
    unsigned long long v = (unsigned long long)floor(fabs(x) * scale + 0.5);
    unsigned long long pw = (unsigned long long)scale;
    char *p = buf;
    if (neg && v) *p++ = '-';
    p = put_ulong(p, v / pw);
    if (dec > 0) {
        *p++ = '.';
        p = put_padded(p, v % pw, dec);
    }
    *p = '\0';
}

/* ---------------------------- Clocks ---------------------------- */

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Activity happens on a "working clock" that runs fast in working hours and
 * slowly at night and at weekends (rate wk[], mean 1 over a week). Spreading a
 * lead's events evenly in clock time and mapping back gives real timestamps
 * with the weekly rhythm, still in order, because the map is increasing. */
static double clock_fwd(const gen_ctx *g, int64_t local) {
    int64_t m = local - MONDAY_EPOCH;
    int64_t q = floor_div(m, WEEK_SEC);
    int64_t r = m - q * WEEK_SEC;
    int h = (int)(r / 3600);
    return (double)q * (double)WEEK_SEC + g->wk_cum[h] + g->wk[h] * (double)(r - h * 3600);
}

static int64_t clock_inv(const gen_ctx *g, double x) {
    double q = floor(x / (double)WEEK_SEC);
    double rem = x - q * (double)WEEK_SEC;
    /* The largest hour h with wk_cum[h] <= rem: start from the bucket's first
     * hour and step (a bucket spans at most a few hours). */
    double bd = rem * (CLOCK_BUCKETS / (double)WEEK_SEC);
    int b = bd < 0 ? 0 : bd >= CLOCK_BUCKETS ? CLOCK_BUCKETS - 1 : (int)bd;
    int h = g->wk_bucket[b];
    while (h > 0 && g->wk_cum[h] > rem) h--;
    while (h < 167 && g->wk_cum[h + 1] <= rem) h++;
    double frac = (rem - g->wk_cum[h]) / g->wk[h];
    if (frac < 0) frac = 0;
    if (frac > 3599.0) frac = 3599.0;
    return MONDAY_EPOCH + (int64_t)q * WEEK_SEC + h * 3600 + (int64_t)frac;
}

static int day_of_week(int64_t t) { return (int)((floor_div(t, 86400) + 3) % 7); } /* Monday 0 */
static int hour_of_day(int64_t t) { return (int)((t - floor_div(t, 86400) * 86400) / 3600); }

/* Build the creation intensity of every hour and the activity clock. */
static void clocks_init(gen_ctx *g) {
    double total = 0;
    for (int h = 0; h < 168; h++) {
        g->wk[h] = day_w[h / 24] * event_hour_w[h % 24];
        total += g->wk[h];
    }
    g->wk_cum[0] = 0;
    for (int h = 0; h < 168; h++) {
        g->wk[h] *= 168.0 / total;
        g->wk_cum[h + 1] = g->wk_cum[h] + g->wk[h] * 3600.0;
    }
    for (int b = 0, h = 0; b < CLOCK_BUCKETS; b++) {
        double start = (double)b * ((double)WEEK_SEC / CLOCK_BUCKETS);
        while (h < 167 && g->wk_cum[h + 1] <= start) h++;
        g->wk_bucket[b] = (unsigned char)h;
    }
    for (int h = 0; h < N_HOURS; h++) {
        int64_t t = T_START + (int64_t)h * 3600;
        double w = 0;
        for (int c = 0; c < N_COUNTRY; c++) {
            int64_t local = t + countries[c].utc_offset;
            w += countries[c].share * day_w[day_of_week(local)] * lead_hour_w[hour_of_day(local)];
        }
        int y;
        unsigned m, d;
        civil_from_days(floor_div(t, 86400), &y, &m, &d);
        w *= month_w[m - 1];
        w *= 1.0 + GROWTH * (double)h / N_HOURS;
        if ((m == 12 && d >= 24) || (m == 1 && d == 1)) w *= HOLIDAY_W;
        g->hour_w[h] = w;
    }
    double rest = 0;
    for (int h = N_HOURS - 1; h >= 0; h--) {
        rest += g->hour_w[h];
        g->hour_rest[h] = rest;
    }
}

/* ---------------------------- Drawing ---------------------------- */

/* Index i with cum[i-1] <= u*total < cum[i] among n weights w (linear: n is small). */
static int pick(const gsl_rng *r, const double *w, int n, double total) {
    double u = gsl_rng_uniform(r) * total;
    for (int i = 0; i < n - 1; i++) {
        if (u < w[i]) return i;
        u -= w[i];
    }
    return n - 1;
}

static int pick_attr(const gsl_rng *r, const attr_def *a, int n) {
    double u = gsl_rng_uniform(r);
    for (int i = 0; i < n - 1; i++) {
        if (u < a[i].share) return i;
        u -= a[i].share;
    }
    return n - 1;
}

/* n sorted uniforms in (0,1) in O(n), from normalised sums of exponential gaps. */
static void sorted_uniforms(const gsl_rng *r, double *out, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += gsl_ran_exponential(r, 1.0);
        out[i] = s;
    }
    s += gsl_ran_exponential(r, 1.0);
    for (size_t i = 0; i < n; i++) out[i] /= s;
}

static double logistic(double x) { return 1.0 / (1.0 + exp(-x)); }

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* util_grow for a typed pointer: pp points to it. Copying the pointer's bytes
 * instead of casting to void ** keeps clear of strict aliasing. */
static int grow(void *pp, size_t *cap, size_t need, size_t size) {
    void *p;
    memcpy(&p, pp, sizeof p);
    int rc = util_grow(&p, cap, need, size);
    memcpy(pp, &p, sizeof p);
    return rc;
}

/* ---------------------------- One lead ---------------------------- */

/* What is drawn for one lead before its rows are written. Its events are in
 * the context's scratch arrays (ev_t, ev_k; n of them). */
typedef struct lead_draw {
    int64_t created;
    int c;                  /* country */
    int drifted;            /* created in the drifted regime */
    int role, role_shown, ind, emp_shown, src;
    long emp;
    double z;               /* intent (log-odds) */
    double engage;
    unsigned visits;
    int64_t tz;             /* the country's UTC offset */
    double x0;              /* created_at on the working clock */
    size_t n;               /* events drawn */
    int status;             /* 0 open, 1 won, 2 lost */
    int64_t closed;
    long long cents;
    int open_row;
} lead_draw;

/* Fit: the attributes and the intent they drive. */
static void draw_fit(const gen_ctx *g, lead_draw *d) {
    const gsl_rng *r = g->rng;
    d->role = pick_attr(r, roles, N_ROLE);
    d->role_shown = gsl_rng_uniform(r) >= MISSING_ROLE;
    d->ind = (d->role == ROLE_STUDENT && gsl_rng_uniform(r) < STUDENT_EDUCATION)
                 ? IND_EDUCATION
                 : pick_attr(r, industries, N_IND);
    double e = floor(gsl_ran_lognormal(r, log(EMP_MEDIAN), EMP_SIGMA) + 0.5);
    d->emp = e < 1 ? 1 : e > EMP_MAX ? EMP_MAX : (long)e;
    d->emp_shown = gsl_rng_uniform(r) >= MISSING_EMPLOYEES;
    d->src = pick_attr(r, sources, N_SOURCE);
    double ind_fit = (d->drifted && d->ind == IND_RETAIL) ? RETAIL_FIT_DRIFT : industries[d->ind].fit;
    double size_fit = 0;
    for (size_t i = 0; i < N_SIZE_BAND; i++)
        if (d->emp >= size_bands[i].from) size_fit = size_bands[i].fit;
    d->z = INTENT_BASE + ind_fit + size_fit + roles[d->role].fit + countries[d->c].fit +
           sources[d->src].fit + gsl_ran_gaussian(r, INTENT_NOISE);
    d->engage = gsl_ran_lognormal(r, -0.5 * ENGAGE_SIGMA * ENGAGE_SIGMA, ENGAGE_SIGMA);
    d->visits = 1 + gsl_ran_poisson(r, VISITS_BASE * exp(VISITS_BETA * d->z) * sqrt(d->engage));
}

/* Activity: the main stream's count and type mix depend on intent and
 * engagement; in the drifted regime webinars are a separate stream that
 * depends on neither. Returns 0, or -1 when scratch memory runs out. */
static int draw_activity(gen_ctx *g, lead_draw *d) {
    const gsl_rng *r = g->rng;
    double window = gsl_ran_lognormal(r, log(ACTIVE_MEDIAN_DAYS * DAY), ACTIVE_SIGMA);
    double rate[N_STREAM], mix[3][N_STREAM], mix_total[3] = {0, 0, 0}, lambda = 0;
    for (int k = 0; k < N_STREAM; k++) {
        rate[k] = (k == EV_WEBINAR && d->drifted) ? 0 : events[k].base * exp(events[k].beta * d->z);
        lambda += rate[k];
        for (int ph = 0; ph < 3; ph++) {
            mix[ph][k] = rate[k] * phase_w[events[k].late][ph];
            mix_total[ph] += mix[ph][k];
        }
    }
    size_t n_main = gsl_ran_poisson(r, EVENT_SCALE * d->engage * lambda);
    size_t n_web = d->drifted ? gsl_ran_poisson(r, WEBINAR_DRIFT_MEAN) : 0;
    double p_unsub = UNSUB_BASE * exp(-UNSUB_BETA * d->z);
    if (p_unsub > UNSUB_MAX) p_unsub = UNSUB_MAX;
    double unsub_pos = 2.0; /* > 1: none */
    if (gsl_rng_uniform(r) < p_unsub) unsub_pos = gsl_rng_uniform_pos(r);
    if (grow(&g->pos, &g->pos_cap, n_main + 1, sizeof *g->pos) ||
        grow(&g->wpos, &g->wpos_cap, n_web + 1, sizeof *g->wpos) ||
        grow(&g->ev_t, &g->ev_cap, n_main + n_web + 1, sizeof *g->ev_t) ||
        grow(&g->ev_k, &g->evk_cap, n_main + n_web + 1, sizeof *g->ev_k))
        return -1;
    sorted_uniforms(r, g->pos, n_main);
    sorted_uniforms(r, g->wpos, n_web);

    /* Merge the streams in position order, map positions to clock time (more
     * activity early: clock offset = window * pos^1.5) and back to UTC. Email
     * events stop at an unsubscribe. */
    d->tz = countries[d->c].utc_offset;
    d->x0 = clock_fwd(g, d->created + d->tz);
    size_t n = 0, i = 0, j = 0;
    int unsub_done = 0;
    int64_t prev = d->created;
    while (i < n_main || j < n_web || (!unsub_done && unsub_pos <= 1.0)) {
        double p;
        int k;
        double pm = i < n_main ? g->pos[i] : 3.0, pw = j < n_web ? g->wpos[j] : 3.0;
        double pu = unsub_done ? 3.0 : unsub_pos;
        if (pu <= pm && pu <= pw) {
            p = pu;
            k = EV_UNSUBSCRIBE;
            unsub_done = 1;
        } else if (pw < pm) {
            p = pw;
            k = EV_WEBINAR;
            j++;
        } else {
            p = pm;
            int ph = (int)(3 * i / n_main);
            k = pick(r, mix[ph], N_STREAM, mix_total[ph]);
            i++;
            if (unsub_done && (k == EV_EMAIL_OPEN || k == EV_EMAIL_CLICK)) continue;
        }
        int64_t t = clock_inv(g, d->x0 + window * p * sqrt(p)) - d->tz;
        if (t < prev) t = prev;
        g->ev_t[n] = t;
        g->ev_k[n] = (unsigned char)k;
        prev = t;
        n++;
    }
    d->n = n;
    return 0;
}

/* Outcome: from intent and whether the lead ever asked to talk to sales;
 * closing comes after that request. Nothing closes after the snapshot. */
static void draw_outcome(const gen_ctx *g, lead_draw *d) {
    const gsl_rng *r = g->rng;
    int64_t decisive = -1;
    for (size_t q = 0; q < d->n; q++)
        if (g->ev_k[q] == EV_DEMO || g->ev_k[q] == EV_CONTACT) {
            decisive = g->ev_t[q];
            break;
        }
    int dec = decisive >= 0;
    int status = 0;
    int64_t closed = 0;
    long long cents = 0;
    if (gsl_rng_uniform(r) < logistic(WON_A + WON_B * d->z + WON_C * dec))
        status = 1;
    else if (gsl_rng_uniform(r) < logistic(LOST_A + LOST_B * d->z + LOST_C * dec))
        status = 2;
    if (status) {
        double lag = status == 1 ? WON_LAG_DAYS : LOST_LAG_DAYS;
        double x = d->x0 + gsl_ran_lognormal(r, log(lag * DAY),
                                             status == 1 ? WON_LAG_SIGMA : LOST_LAG_SIGMA);
        if (dec) {
            double gap = status == 1 ? WON_GAP_DAYS : LOST_GAP_DAYS;
            double xd = clock_fwd(g, decisive + d->tz) +
                        gsl_ran_lognormal(r, log(gap * DAY), GAP_SIGMA);
            if (xd > x) x = xd;
        }
        closed = clock_inv(g, x) - d->tz;
        if (closed < d->created) closed = d->created;
        if (closed >= T_END) status = 0;
    }
    if (status == 1) {
        double amount = DEAL_MEDIAN * pow((double)d->emp / EMP_MEDIAN, DEAL_SIZE_EXP) *
                        roles[d->role].deal * industries[d->ind].deal *
                        gsl_ran_lognormal(r, 0, DEAL_SIGMA);
        cents = (long long)floor(amount * 100 + 0.5);
        if (cents < DEAL_MIN_CENTS) cents = DEAL_MIN_CENTS;
    }
    d->open_row = status == 0 && gsl_rng_uniform(r) < OPEN_ROW;
    d->status = status;
    d->closed = closed;
    d->cents = cents;
}

/* Rows: the lead's line, its events before the snapshot, its outcome row
 * (won, lost, or an explicit open one), and the totals for the README. */
static void write_rows(gen_ctx *g, unsigned long long num, const lead_draw *d) {
    char id[32];
    id[0] = 'L';
    size_t id_len = (size_t)(put_padded(id + 1, num, g->id_width) - id);
    id[id_len] = '\0';

    gen_out *o = &g->out[OUT_LEADS];
    char *p = out_room(o);
    memcpy(p, id, id_len);
    p += id_len;
    *p++ = ',';
    p = put_ts(o, p, d->created);
    *p++ = ',';
    p = put_str(p, industries[d->ind].name);
    *p++ = ',';
    p = put_str(p, countries[d->c].name);
    *p++ = ',';
    if (d->emp_shown) p = put_ulong(p, (unsigned long long)d->emp);
    *p++ = ',';
    if (d->role_shown) p = put_str(p, roles[d->role].name);
    *p++ = ',';
    p = put_str(p, sources[d->src].name);
    *p++ = ',';
    p = put_ulong(p, d->visits);
    *p++ = '\n';
    out_done(o, p);

    o = &g->out[OUT_EVENTS];
    for (size_t q = 0; q < d->n && g->ev_t[q] < T_END; q++) {
        p = out_room(o);
        memcpy(p, id, id_len);
        p += id_len;
        *p++ = ',';
        p = put_ts(o, p, g->ev_t[q]);
        *p++ = ',';
        p = put_str(p, events[g->ev_k[q]].name);
        *p++ = '\n';
        out_done(o, p);
        g->st.events++;
    }

    if (d->status || d->open_row) {
        o = &g->out[OUT_OUTCOMES];
        p = out_room(o);
        memcpy(p, id, id_len);
        p += id_len;
        *p++ = ',';
        p = put_str(p, d->status == 1 ? "won," : d->status == 2 ? "lost," : "open,");
        if (d->status) p = put_ts(o, p, d->closed);
        *p++ = ',';
        if (d->status == 1) p = put_cents(p, d->cents);
        *p++ = '\n';
        out_done(o, p);
    }
    if (d->status == 1) {
        g->st.won++;
        g->st.amount_cents += d->cents;
    } else if (d->status == 2) {
        g->st.lost++;
    } else {
        g->st.open++;
        g->st.open_rows += d->open_row;
    }
}

/* Generate lead number `num` created at `created` in country `c` and write its
 * rows. Returns 0, or -1 when scratch memory runs out. */
static int gen_lead(gen_ctx *g, unsigned long long num, int64_t created, int c) {
    lead_draw d = {.created = created, .c = c, .drifted = created >= T_DRIFT};
    draw_fit(g, &d);
    if (draw_activity(g, &d) < 0) return -1;
    draw_outcome(g, &d);
    write_rows(g, num, &d);
    return 0;
}

/* ---------------------------- README ---------------------------- */

static void buf_fixed(util_buf *b, double x, int dec, int plus) {
    char s[64];
    fmt_fixed(s, x, dec);
    if (plus && x >= 0) util_buf_puts(b, "+");
    util_buf_puts(b, s);
}

/* A table row: value, intent effect, share of leads (the caller may add a
 * column and ends the line). */
static void buf_attr_row(util_buf *b, const char *name, double fit, double share) {
    util_buf_printf(b, "    %-14s ", name);
    buf_fixed(b, fit, 2, 1);
    util_buf_puts(b, "   ");
    char pct[32];
    fmt_fixed(pct, share * 100, 0);
    util_buf_printf(b, "%3s%%", pct);
}

/* A titled table of a categorical attribute, with deal factors when `deal`. */
static void buf_attrs(util_buf *b, const char *title, const attr_def *a, int n, int deal) {
    util_buf_printf(b, "  %s\n", title);
    for (int i = 0; i < n; i++) {
        buf_attr_row(b, a[i].name, a[i].fit, a[i].share);
        if (deal) {
            util_buf_puts(b, "   ");
            buf_fixed(b, a[i].deal, 2, 0);
        }
        util_buf_puts(b, "\n");
    }
}

/* part/whole as a percentage with two decimals. */
static void buf_pct(util_buf *b, long long part, long long whole) {
    buf_fixed(b, whole ? 100.0 * (double)part / (double)whole : 0.0, 2, 0);
    util_buf_puts(b, "%");
}

/* The summary: how the data was made, and what it holds. */
static void readme_summary(const gen_ctx *g, const gen_opts *opts, util_buf *b) {
    const gen_stats *s = &g->st;
    util_buf_puts(b, "leadsim synthetic dataset\n=========================\n\n");
    util_buf_printf(b, "Made by:  leadsim gen --out DIR --leads %ld --seed %lu\n", opts->leads,
                    opts->seed);
    util_buf_puts(b,
                  "DIR is any folder: the data do not depend on it. The same --leads and --seed\n"
                  "give the same bytes on every machine. Nothing here describes real people.\n\n");
    util_buf_printf(b, "Leads:    %ld, created 2024-01-01 .. 2025-12-31 (UTC)\n", opts->leads);
    util_buf_printf(b, "Events:   %lld (", s->events);
    buf_fixed(b, (double)s->events / (double)opts->leads, 1, 0);
    util_buf_puts(b, " per lead)\n");
    util_buf_printf(b, "Outcomes: %ld won (", s->won);
    buf_pct(b, s->won, opts->leads);
    util_buf_printf(b, "), %ld lost (", s->lost);
    buf_pct(b, s->lost, opts->leads);
    util_buf_printf(b, "), %ld open (", s->open);
    buf_pct(b, s->open, opts->leads);
    util_buf_printf(b, ")\n          %ld open leads have an explicit open row\n", s->open_rows);
    util_buf_puts(b, "Won amount: ");
    {
        char tot[40], *e = put_cents(tot, s->amount_cents);
        *e = '\0';
        util_buf_puts(b, tot);
    }
    util_buf_puts(b, " in total\n");
    util_buf_puts(b,
                  "Snapshot: 2026-01-01 00:00:00 UTC. Nothing in the files is at or after it;\n"
                  "deals that would close later are open.\n\n");
}

/* The files and their columns. */
static void readme_files(const gen_ctx *g, util_buf *b) {
    util_buf_puts(b, "Files\n-----\n"
                     "All CSV: header row first, comma-separated, no quoting needed, LF line\n"
                     "ends, no byte order mark, UTF-8 (ASCII). Timestamps are\n"
                     "YYYY-MM-DD HH:MM:SS in UTC.\n\n");
    util_buf_printf(b,
                    "leads.csv      lead_id,created_at,industry,country,employees,job_role,"
                    "source,total_visits\n"
                    "  lead_id       'L' and the lead number zero-padded to %d digits,\n"
                    "                in creation order\n"
                    "  created_at    when the lead was created\n"
                    "  industry      software, finance, retail, healthcare, manufacturing,\n"
                    "                education, logistics, public_sector\n"
                    "  country       ISO 3166-1 alpha-2: US, GB, DE, FR, NL, CA, AU, IN\n"
                    "  employees     company size, integer 1..%d; empty for about ",
                    g->id_width, EMP_MAX);
    buf_fixed(b, MISSING_EMPLOYEES * 100, 0, 0);
    util_buf_puts(b, "% of leads\n"
                     "  job_role      c_level, vp, manager, individual, student; empty for\n"
                     "                about ");
    buf_fixed(b, MISSING_ROLE * 100, 0, 0);
    util_buf_puts(b,
                  "%\n  source        organic, paid_search, social, referral, event, partner\n"
                  "  total_visits  website visits, 1 or more\n\n"
                  "events.csv     lead_id,timestamp,event\n"
                  "  one row per event, sorted by lead_id then timestamp; never before the\n"
                  "  lead's created_at; event is one of email_open, email_click, webinar,\n"
                  "  whitepaper_download, pricing_page_view, case_study_view, demo_request,\n"
                  "  contact_form, unsubscribe\n\n"
                  "outcomes.csv   lead_id,status,closed_at,amount\n"
                  "  status is won, lost or open. won and lost rows have closed_at (never before\n"
                  "  created_at); won rows have amount (currency units, 2 decimals), lost rows\n"
                  "  an empty amount. A lead without a row is open; about ");
    buf_fixed(b, OPEN_ROW * 100, 0, 0);
    util_buf_puts(b,
                  "% of open leads have an\n"
                  "  explicit open row with empty closed_at and amount. A lead's events go on\n"
                  "  after its closed_at (customers keep reading emails): a model must cut them\n"
                  "  off there.\n\n");
}

/* The hidden intent and the fit attributes that drive it. */
static void readme_fit(util_buf *b) {
    util_buf_puts(b,
                  "Planted behaviour\n-----------------\n"
                  "Each lead has a hidden buying intent (log-odds, not written):\n"
                  "  intent = ");
    buf_fixed(b, INTENT_BASE, 2, 0);
    util_buf_puts(b, " + industry + size + role + country + source + Normal(0, ");
    buf_fixed(b, INTENT_NOISE, 2, 0);
    util_buf_puts(b, ")\nwith these effects:\n");
    buf_attrs(b, "industry        effect  share  deal factor", industries, N_IND, 1);
    util_buf_puts(b, "    DRIFT: retail is ");
    buf_fixed(b, RETAIL_FIT_DRIFT, 2, 1);
    util_buf_puts(b, " instead of ");
    buf_fixed(b, industries[IND_RETAIL].fit, 2, 1);
    util_buf_puts(b, " for leads created from 2025-07-01.\n");
    buf_attrs(b, "job_role        effect  share  deal factor", roles, N_ROLE, 1);
    util_buf_puts(b, "    ");
    buf_fixed(b, STUDENT_EDUCATION * 100, 0, 0);
    util_buf_puts(b, "% of students are in education, the others in any industry.\n");
    util_buf_puts(b, "  employees       effect   (log-normal, median ");
    buf_fixed(b, EMP_MEDIAN, 0, 0);
    util_buf_puts(b, ", sigma ");
    buf_fixed(b, EMP_SIGMA, 2, 0);
    util_buf_puts(b, ")\n");
    for (size_t i = 0; i < N_SIZE_BAND; i++) {
        char band[48];
        if (i + 1 < N_SIZE_BAND)
            snprintf(band, sizeof band, "%ld-%ld", size_bands[i].from, size_bands[i + 1].from - 1);
        else
            snprintf(band, sizeof band, "%ld-%d", size_bands[i].from, EMP_MAX);
        util_buf_printf(b, "    %-14s ", band);
        buf_fixed(b, size_bands[i].fit, 2, 1);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "  country         effect  share  UTC offset (working hours)\n");
    for (int i = 0; i < N_COUNTRY; i++) {
        int64_t off = countries[i].utc_offset;
        int64_t aoff = off < 0 ? -off : off;
        buf_attr_row(b, countries[i].name, countries[i].fit, countries[i].share);
        util_buf_printf(b, "   %c%02d:%02d\n", off < 0 ? '-' : '+', (int)(aoff / 3600),
                        (int)(aoff % 3600 / 60));
    }
    buf_attrs(b, "source          effect  share", sources, N_SOURCE, 0);
    util_buf_puts(b,
                  "An empty employees or job_role cell hides the value but the true value still\n"
                  "drives intent.\n\n");
}

/* Engagement, the event streams, their timing and the visits. */
static void readme_events(util_buf *b) {
    util_buf_puts(b, "Each lead also has an engagement (log-normal, mean 1, sigma ");
    buf_fixed(b, ENGAGE_SIGMA, 2, 0);
    util_buf_puts(b,
                  " of the log) that\n"
                  "multiplies all its activity but does not change its chance to win except\n"
                  "through demo requests: heavy readers who never buy.\n\n"
                  "Events. The expected count of type k is\n  ");
    buf_fixed(b, EVENT_SCALE, 2, 0);
    util_buf_puts(b,
                  " * engagement * base_k * exp(beta_k * intent):\n"
                  "  type                   base   beta\n");
    for (int k = 0; k < N_STREAM; k++) {
        char base[32], beta[32];
        fmt_fixed(base, events[k].base, 2);
        fmt_fixed(beta, events[k].beta, 2);
        util_buf_printf(b, "  %-20s %6s %6s", events[k].name, base, beta);
        util_buf_puts(b, events[k].late ? "   (later in the journey)\n" : "\n");
    }
    util_buf_puts(b, "  DRIFT: for leads created from 2025-07-01, webinars come from their own\n"
                     "  stream, Poisson(");
    buf_fixed(b, WEBINAR_DRIFT_MEAN, 1, 0);
    util_buf_puts(b,
                  ") per lead, independent of intent and engagement: webinar\n"
                  "  attendance stops predicting wins and becomes more frequent.\n"
                  "  unsubscribe: at most once, with probability\n  min(");
    buf_fixed(b, UNSUB_MAX, 2, 0);
    util_buf_puts(b, ", ");
    buf_fixed(b, UNSUB_BASE, 2, 0);
    util_buf_puts(b, " * exp(-");
    buf_fixed(b, UNSUB_BETA, 2, 0);
    util_buf_puts(b,
                  " * intent)); no email_open or email_click after it.\n"
                  "  The events are spread over an activity window that starts at created_at\n"
                  "  (log-normal, median ");
    buf_fixed(b, ACTIVE_MEDIAN_DAYS, 0, 0);
    util_buf_puts(b, " days, sigma ");
    buf_fixed(b, ACTIVE_SIGMA, 2, 0);
    util_buf_puts(b, "), denser at its start. Over the first,\n"
                     "  middle and last third of a lead's events, the 'later' types are ");
    buf_fixed(b, phase_w[1][0], 1, 0);
    util_buf_puts(b, "x, ");
    buf_fixed(b, phase_w[1][1], 1, 0);
    util_buf_puts(b, "x,\n  ");
    buf_fixed(b, phase_w[1][2], 1, 0);
    util_buf_puts(b, "x as frequent and the others ");
    buf_fixed(b, phase_w[0][0], 1, 0);
    util_buf_puts(b, "x, ");
    buf_fixed(b, phase_w[0][1], 1, 0);
    util_buf_puts(b, "x, ");
    buf_fixed(b, phase_w[0][2], 1, 0);
    util_buf_puts(b,
                  "x. Times follow the working week\n"
                  "  in the lead's country (offsets above, no daylight saving).\n"
                  "  total_visits = 1 + Poisson(");
    buf_fixed(b, VISITS_BASE, 2, 0);
    util_buf_puts(b, " * exp(");
    buf_fixed(b, VISITS_BETA, 2, 0);
    util_buf_puts(b, " * intent) * sqrt(engagement)).\n\n");
}

/* Who wins or loses, when a deal closes and what it is worth. */
static void readme_outcomes(util_buf *b) {
    util_buf_puts(b, "Outcomes. D = 1 when the lead ever sends a demo_request or contact_form.\n"
                     "  P(won)  = logistic(");
    buf_fixed(b, WON_A, 2, 0);
    util_buf_puts(b, " + ");
    buf_fixed(b, WON_B, 2, 0);
    util_buf_puts(b, " * intent + ");
    buf_fixed(b, WON_C, 2, 0);
    util_buf_puts(b, " * D), otherwise\n  P(lost) = logistic(");
    buf_fixed(b, LOST_A, 2, 0);
    util_buf_puts(b, " + ");
    buf_fixed(b, LOST_B, 2, 0);
    util_buf_puts(b, " * intent + ");
    buf_fixed(b, LOST_C, 2, 0);
    util_buf_puts(b, " * D).\n  Won: closed_at = created_at + log-normal (median ");
    buf_fixed(b, WON_LAG_DAYS, 0, 0);
    util_buf_puts(b, " days, sigma ");
    buf_fixed(b, WON_LAG_SIGMA, 2, 0);
    util_buf_puts(b, "),\n  but at least a log-normal gap (median ");
    buf_fixed(b, WON_GAP_DAYS, 0, 0);
    util_buf_puts(b, " days, sigma ");
    buf_fixed(b, GAP_SIGMA, 2, 0);
    util_buf_puts(b,
                  ")\n"
                  "  after the first demo_request or contact_form, so that request always\n"
                  "  comes before the close.\n"
                  "  Lost: the same with median ");
    buf_fixed(b, LOST_LAG_DAYS, 0, 0);
    util_buf_puts(b, " days, sigma ");
    buf_fixed(b, LOST_LAG_SIGMA, 2, 0);
    util_buf_puts(b, ", gap median ");
    buf_fixed(b, LOST_GAP_DAYS, 0, 0);
    util_buf_puts(b,
                  " days.\n"
                  "  Closes fall in working hours. A deal that would close at or after the\n"
                  "  snapshot stays open, so most leads of the last months are open.\n"
                  "  Won amount = ");
    buf_fixed(b, DEAL_MEDIAN, 0, 0);
    util_buf_puts(b, " * (employees / ");
    buf_fixed(b, EMP_MEDIAN, 0, 0);
    util_buf_puts(b, ")^");
    buf_fixed(b, DEAL_SIZE_EXP, 2, 0);
    util_buf_puts(b, " * role factor * industry factor\n  * log-normal(0, ");
    buf_fixed(b, DEAL_SIGMA, 2, 0);
    util_buf_puts(b, "), at least ");
    {
        char m[40], *e = put_cents(m, DEAL_MIN_CENTS);
        *e = '\0';
        util_buf_puts(b, m);
    }
    util_buf_puts(b, "\n  (factors in the tables above; the true size counts).\n\n");
}

/* The calendar of lead volume, and what a scoring model should find. */
static void readme_calendar(util_buf *b) {
    util_buf_puts(b, "Calendar\n--------\n  Lead volume by local weekday (Mon..Sun):");
    for (int i = 0; i < 7; i++) {
        util_buf_puts(b, " ");
        buf_fixed(b, day_w[i], 2, 0);
    }
    util_buf_puts(b, "\n  by local hour 00..23:");
    for (int i = 0; i < 24; i++) {
        util_buf_puts(b, i % 12 ? " " : (i ? "\n   " : " "));
        buf_fixed(b, lead_hour_w[i], 2, 0);
    }
    util_buf_puts(b, "\n  by month Jan..Dec (campaigns in March and October):");
    for (int i = 0; i < 12; i++) {
        util_buf_puts(b, i % 6 ? " " : "\n   ");
        buf_fixed(b, month_w[i], 2, 0);
    }
    util_buf_puts(b, "\n  growth ");
    buf_fixed(b, GROWTH * 100, 0, 0);
    util_buf_puts(b, "% over the two years; 24 December to 1 January at ");
    buf_fixed(b, HOLIDAY_W * 100, 0, 0);
    util_buf_puts(b,
                  "%.\n"
                  "  Activity follows the same weekly rhythm (a little more in the evenings).\n\n"
                  "What a scoring model should find\n--------------------------------\n"
                  "  - demo_request, pricing_page_view and case_study_view are strong signals;\n"
                  "    email_open is nearly worthless; unsubscribe is negative.\n"
                  "  - students, companies under 10 employees, social and IN leads are poor\n"
                  "    fit; software, finance, vp/c_level/manager, 200-4999 employees and\n"
                  "    referral/partner are good.\n"
                  "  - Drift between 2025-H1 and 2025-H2 (leads created from 2025-07-01):\n"
                  "    webinar loses its predictive power (and is more frequent), retail turns\n"
                  "    from a poor into a good industry.\n"
                  "  - Events after closed_at exist and must not count.\n");
}

/* README.txt: every section in order. */
static void readme_build(const gen_ctx *g, const gen_opts *opts, util_buf *b) {
    readme_summary(g, opts, b);
    readme_files(g, b);
    readme_fit(b);
    readme_events(b);
    readme_outcomes(b);
    readme_calendar(b);
}

/* ---------------------------- Files ---------------------------- */

/* mkdir -p: create dir and its parents. */
static int make_dirs(const char *dir, util_err *err) {
    if (*dir == '\0') return util_errf(err, UTIL_EUSAGE, "gen: the output folder name is empty");
    char *path = util_strdup(dir);
    if (!path) return util_enomem(err);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            util_errf(err, UTIL_EIO, "%s: cannot create folder: %s", path, strerror(e));
            util_free(path);
            return -1;
        }
        *p = c;
        if (c == '\0') break;
    }
    util_free(path);
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return util_errf(err, UTIL_EIO, "%s: cannot create folder: %s", dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return util_errf(err, UTIL_EIO, "%s: cannot create folder: not a folder", dir);
    return 0;
}

/* Open DIR/.NAME.XXXXXX.tmp for writing; the final name is kept for the rename. */
static int out_open(gen_out *o, const char *dir, const char *name, util_err *err) {
    size_t dl = strlen(dir), nl = strlen(name);
    const char *sep = dl > 0 && dir[dl - 1] == '/' ? "" : "/";
    o->day = -1;
    o->path = util_malloc(dl + nl + 2);
    o->tmp = util_malloc(dl + nl + 16);
    o->buf = util_malloc(OUT_BUF);
    o->spare = util_malloc(OUT_BUF);
    if (!o->path || !o->tmp || !o->buf || !o->spare) {
        util_free(o->tmp);
        o->tmp = NULL;
        return util_enomem(err);
    }
    snprintf(o->path, dl + nl + 2, "%s%s%s", dir, sep, name);
    snprintf(o->tmp, dl + nl + 16, "%s%s.%s.XXXXXX.tmp", dir, sep, name);
    int fd = mkstemps(o->tmp, 4);
    if (fd < 0) {
        int e = errno;
        util_errf(err, UTIL_EIO, "%s: cannot create: %s", o->path, strerror(e));
        util_free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    /* mkstemp makes the file private; a dataset is ordinary shared data. */
    if (fchmod(fd, 0644) != 0 || !(o->fp = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        return util_errf(err, UTIL_EIO, "%s: cannot create: %s", o->path, strerror(e));
    }
    /* Our own 1 MiB buffers are the only ones: whole chunks go straight to write(2). */
    setvbuf(o->fp, NULL, _IONBF, 0);
    /* Without a thread (it cannot start) the writes are made in line. */
    if (pthread_mutex_init(&o->mu, NULL) == 0) {
        if (pthread_cond_init(&o->cv, NULL) == 0) {
            o->started = pthread_create(&o->th, NULL, out_writer, o) == 0;
            if (!o->started) pthread_cond_destroy(&o->cv);
        }
        if (!o->started) pthread_mutex_destroy(&o->mu);
    }
    return 0;
}

/* Flush and close; the temporary stays for the rename. */
static int out_close(gen_out *o, util_err *err) {
    out_flush(o);
    if (o->started) {
        out_stop(o);
        pthread_cond_destroy(&o->cv);
        pthread_mutex_destroy(&o->mu);
    }
    FILE *fp = o->fp;
    o->fp = NULL;
    errno = 0;
    int rc = fclose(fp);
    if (o->err_no == 0 && rc != 0) o->err_no = errno ? errno : EIO;
    if (o->err_no)
        return util_errf(err, UTIL_EIO, "%s: cannot write: %s", o->path, strerror(o->err_no));
    return 0;
}

static int write_error(const gen_ctx *g, util_err *err) {
    for (int i = 0; i < N_OUT; i++)
        if (g->out[i].err_no)
            return util_errf(err, UTIL_EIO, "%s: cannot write: %s", g->out[i].path,
                             strerror(g->out[i].err_no));
    return util_errf(err, UTIL_EINTERNAL, "gen: write failed");
}

/* Release everything; temporaries still present (a failed run) are removed. */
static void gen_ctx_fini(gen_ctx *g) {
    for (int i = 0; i < N_OUT; i++) {
        gen_out *o = &g->out[i];
        if (o->started) {
            out_stop(o);
            pthread_cond_destroy(&o->cv);
            pthread_mutex_destroy(&o->mu);
        }
        if (o->fp) fclose(o->fp);
        if (o->tmp) unlink(o->tmp);
        util_free(o->tmp);
        util_free(o->path);
        util_free(o->buf);
        util_free(o->spare);
    }
    if (g->rng) gsl_rng_free(g->rng);
    util_free(g->hour_w);
    util_free(g->hour_rest);
    util_free(g->secs);
    util_free(g->pos);
    util_free(g->wpos);
    util_free(g->ev_t);
    util_free(g->ev_k);
}

/* ---------------------------- Generation ---------------------------- */

static const char *const headers[N_OUT] = {
    "lead_id,created_at,industry,country,employees,job_role,source,total_visits\n",
    "lead_id,timestamp,event\n", "lead_id,status,closed_at,amount\n", ""};

/* Leads in creation order: the count of each hour is binomial given what is
 * left, which draws the hourly counts from the exact multinomial in one pass;
 * within an hour the seconds are sorted. */
static int gen_leads(gen_ctx *g, long n_leads, util_err *err) {
    unsigned long long num = 0;
    unsigned long remaining = (unsigned long)n_leads;
    for (int h = 0; h < N_HOURS && remaining > 0; h++) {
        double p = h == N_HOURS - 1 ? 1.0 : g->hour_w[h] / g->hour_rest[h];
        if (p > 1.0) p = 1.0;
        unsigned k = gsl_ran_binomial(g->rng, p, (unsigned)remaining);
        if (k == 0) continue;
        if (k > remaining) k = (unsigned)remaining;
        remaining -= k;
        if (grow(&g->secs, &g->secs_cap, k, sizeof *g->secs)) return util_enomem(err);
        for (unsigned i = 0; i < k; i++) g->secs[i] = (int)gsl_rng_uniform_int(g->rng, 3600);
        qsort(g->secs, k, sizeof *g->secs, cmp_int);
        int64_t t = T_START + (int64_t)h * 3600;
        double cw[N_COUNTRY], ctot = 0;
        for (int c = 0; c < N_COUNTRY; c++) {
            int64_t local = t + countries[c].utc_offset;
            cw[c] = countries[c].share * day_w[day_of_week(local)] *
                    lead_hour_w[hour_of_day(local)];
            ctot += cw[c];
        }
        for (unsigned i = 0; i < k; i++) {
            int c = pick(g->rng, cw, N_COUNTRY, ctot);
            if (gen_lead(g, ++num, t + g->secs[i], c)) return util_enomem(err);
        }
        if (gen_failed(g)) return write_error(g, err);
    }
    if (remaining > 0)
        return util_errf(err, UTIL_EINTERNAL, "gen: %lu leads not placed", remaining);
    return 0;
}

static int gen_run(gen_ctx *g, const char *dir, const gen_opts *opts, util_err *err) {
    if (make_dirs(dir, err)) return -1;
    g->id_width = 7;
    for (long v = opts->leads / 10000000; v > 0; v /= 10) g->id_width++;
    g->hour_w = util_malloc(sizeof *g->hour_w * (size_t)N_HOURS);
    g->hour_rest = util_malloc(sizeof *g->hour_rest * (size_t)N_HOURS);
    g->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g->hour_w || !g->hour_rest || !g->rng) return util_enomem(err);
    gsl_rng_set(g->rng, opts->seed);
    clocks_init(g);

    for (int i = 0; i < N_OUT; i++) {
        if (out_open(&g->out[i], dir, out_names[i], err)) return -1;
        out_bytes(&g->out[i], headers[i], strlen(headers[i]));
    }
    if (gen_leads(g, opts->leads, err)) return -1;
    for (int i = 0; i < OUT_README; i++)
        if (out_close(&g->out[i], err)) return -1;

    util_buf b;
    util_buf_init(&b);
    readme_build(g, opts, &b);
    if (b.failed) {
        util_buf_fini(&b);
        return util_enomem(err);
    }
    out_bytes(&g->out[OUT_README], b.data, b.len);
    util_buf_fini(&b);
    if (out_close(&g->out[OUT_README], err)) return -1;

    for (int i = 0; i < N_OUT; i++) {
        gen_out *o = &g->out[i];
        if (rename(o->tmp, o->path) != 0)
            return util_errf(err, UTIL_EIO, "%s: cannot rename %s to it: %s", o->path, o->tmp,
                             strerror(errno));
        util_free(o->tmp);
        o->tmp = NULL;
    }
    return 0;
}

int gen_write(const char *dir, const gen_opts *opts, util_err *err) {
    if (opts->leads < 1 || opts->leads > GEN_MAX_LEADS)
        return util_errf(err, UTIL_EUSAGE, "gen: --leads must be between 1 and %ld, not %ld",
                         GEN_MAX_LEADS, opts->leads);
    if (opts->seed > GEN_MAX_SEED)
        return util_errf(err, UTIL_EUSAGE, "gen: --seed must be between 0 and %lu, not %lu",
                         GEN_MAX_SEED, opts->seed);
    gen_ctx g;
    memset(&g, 0, sizeof g);
    /* GSL's default handler aborts; a library must not. Restored afterwards. */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int rc = gen_run(&g, dir, opts, err);
    gen_ctx_fini(&g);
    gsl_set_error_handler(old);
    return rc;
}
