/* out_sales.c - whether each threshold keeps the SLA, where it breaks, and how many reps it needs.
 *
 * Words first (a reader wants the verdict), then the numbers: the queue
 * table and the staffing table. Weeks where the SLA breaks are the weeks
 * whose own hand-offs met the SLA less often than the target; consecutive
 * ones are told as one stretch, with their hand-offs against their slots
 * (a stretch with more hand-offs than slots is a peak, such as a campaign,
 * that the team cannot absorb). */
#include "out_sales.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "md.h"
#include "tstamp.h"

double out_sales_target(const scenario *sc) {
    return sc->objective == SCENARIO_OBJ_SLA ? sc->obj_a : 0.95;
}

static void thr_words(util_buf *b, const metrics_row *m) {
    md_thr(b, m->threshold, MD_THR_SIG);
    if (m->two_axis) util_buf_puts(b, " / fit "), md_thr(b, m->fit_threshold, MD_THR_SIG);
}

static void date_of(util_buf *b, int64_t t) {
    char d[16];
    tstamp_format_date(t, d, sizeof d);
    util_buf_puts(b, d);
}

/* The team in one sentence. */
static void team(util_buf *b, const scenario *sc) {
    util_buf_puts(b, "The team: ");
    md_exact(b, sc->reps);
    util_buf_puts(b, sc->reps == 1 ? " rep" : " reps");
    util_buf_puts(b, " x ");
    md_exact(b, sc->followups_per_rep_per_day);
    util_buf_printf(b, " follow-ups a business day, %02d:%02d-%02d:%02d", sc->bh_start_min / 60,
                    sc->bh_start_min % 60, sc->bh_end_min / 60, sc->bh_end_min % 60);
    int off = sc->utc_offset_min;
    if (off) util_buf_printf(b, " local time (UTC%c%02d:%02d)", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
    else util_buf_puts(b, " UTC");
    util_buf_puts(b, ", Monday to Friday");
    if (sc->nholidays) util_buf_printf(b, " except %zu holiday%s", sc->nholidays, sc->nholidays == 1 ? "" : "s");
    if (sc->has_sla) {
        util_buf_puts(b, "; SLA: a follow-up within ");
        md_exact(b, sc->sla_business_hours);
        util_buf_puts(b, " business hours of the hand-off");
    }
    if (sc->has_recycle) {
        util_buf_puts(b, "; a lead not won ");
        md_exact(b, sc->recycle_after_days);
        util_buf_puts(b, " days after a hand-off goes back to marketing and can be handed off again");
    }
    util_buf_puts(b, ".\n\n");
}

/* The stretches of weeks in which Q's hand-offs met the SLA less often than
 * TARGET; at most 4 told, the rest counted. */
static void breaks(util_buf *b, const queue *q, double target) {
    size_t told = 0, runs = 0, bad = 0;
    for (size_t w = 0; w < q->nweeks; w++) {
        const queue_week *k = &q->weeks[w];
        if (!(k->handoffs > 0 && (double)k->sla_met < target * (double)k->handoffs)) continue;
        size_t e = w;
        long ho = 0, slots = 0;
        while (e < q->nweeks && q->weeks[e].handoffs > 0 &&
               (double)q->weeks[e].sla_met < target * (double)q->weeks[e].handoffs) {
            ho += q->weeks[e].handoffs;
            slots += (long)q->weeks[e].slots;
            e++;
        }
        runs++;
        bad += e - w;
        if (told < 4) {
            util_buf_puts(b, told ? "; " : " It breaks in the week");
            if (!told && e - w > 1) util_buf_puts(b, "s");
            util_buf_puts(b, told ? "" : " of ");
            date_of(b, k->start);
            if (e - w > 1) {
                util_buf_puts(b, " to ");
                date_of(b, q->weeks[e - 1].start);
            }
            util_buf_puts(b, " (");
            md_count(b, ho);
            util_buf_puts(b, " hand-offs, ");
            md_count(b, slots);
            util_buf_puts(b, " slots");
            if (ho > slots) util_buf_puts(b, ": a peak beyond capacity, such as a campaign");
            else util_buf_puts(b, ": within the slots, so the hand-offs came in bursts, "
                                  "such as a Monday's, or a backlog carried over");
            util_buf_puts(b, ")");
            told++;
        }
        w = e - 1;
    }
    if (runs > told) util_buf_printf(b, "; and %zu more stretch%s", runs - told, runs - told == 1 ? "" : "es");
    if (runs) util_buf_printf(b, ". In all %zu week%s below the target.", bad, bad == 1 ? " is" : "s are");
}

static void verdict(util_buf *b, const scenario *sc, const metrics_row *m, const sales_row *r,
                    const char *label) {
    const queue *q = r->q;
    double target = out_sales_target(sc);
    util_buf_puts(b, "- ");
    if (label) util_buf_printf(b, "%s ", label);
    util_buf_puts(b, "threshold ");
    thr_words(b, m);
    util_buf_puts(b, ": ");
    if (r->handoffs == 0) {
        util_buf_puts(b, "no hand-off, nothing to follow up.\n");
        return;
    }
    if (isnan(q->sla_attainment)) {
        util_buf_puts(b, "no SLA set (sla_business_hours); the median wait is ");
        md_num(b, q->wait_median_h, 1);
        util_buf_puts(b, " business hours.\n");
        return;
    }
    int keeps = q->sla_attainment >= target;
    util_buf_puts(b, keeps ? "**keeps the SLA**: " : "**breaks the SLA**: ");
    md_pct(b, q->sla_attainment);
    util_buf_puts(b, " of ");
    md_count(b, r->handoffs);
    util_buf_puts(b, " hand-offs are followed up within ");
    md_exact(b, sc->sla_business_hours);
    util_buf_puts(b, " business hours (target ");
    md_pct(b, target);
    util_buf_puts(b, "); the median wait is ");
    md_num(b, q->wait_median_h, 1);
    util_buf_puts(b, " business hours, 90% wait at most ");
    md_num(b, q->wait_p90_h, 1);
    util_buf_puts(b, ", and at most ");
    md_count(b, q->backlog_max);
    util_buf_puts(b, " wait at once.");
    breaks(b, q, target);
    util_buf_puts(b, "\n");
}

static void queue_table(util_buf *b, const out_scn *s) {
    util_buf_puts(b, "\n| threshold | hand-offs | handed back | handed off again | won after a hand-back |"
                     " SLA met | median wait (h) | p90 wait (h) | max backlog | weeks over capacity |\n"
                     "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (size_t i = 0; i < s->nrows; i++) {
        const metrics_row *m = &s->rows[i];
        const sales_row *r = &s->srows[i];
        util_buf_puts(b, "| ");
        thr_words(b, m);
        util_buf_puts(b, " |");
        md_cell_long(b, r->handoffs);
        md_cell_long(b, r->recycled);
        md_cell_long(b, r->requalified);
        md_cell_long(b, r->won_after_recycle);
        md_cell_ratio(b, r->q->sla_attainment);
        md_cell_num(b, r->q->wait_median_h, 1);
        md_cell_num(b, r->q->wait_p90_h, 1);
        md_cell_long(b, r->q->backlog_max);
        md_cell_long(b, r->q->weeks_over_capacity);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\nWaits are in business hours from the hand-off to its follow-up slot; a week "
                     "is over capacity when its hand-offs exceed its slots. Every hand-off counts, "
                     "those after a hand-back included.\n");
}

static void reps_cell(util_buf *b, long v) {
    if (v < 0) md_cell(b, "–");
    else md_cell_long(b, v);
}

static void staffing(util_buf *b, const out_scn *s, const char *level) {
    util_buf_printf(b, "\n%s# Staffing\n\n", level);
    util_buf_puts(b, "Fewest reps, at the same follow-ups per rep, for: the SLA target replayed on "
                     "the actual hand-offs; the same target in a steady state (Erlang C: arrivals "
                     "at the average rate, no Mondays, no campaigns); 95% of weeks within their "
                     "slots, replayed; and the average load alone. The gap between the replayed "
                     "and the steady-state answers is what backlogs and peaks cost.\n\n");
    util_buf_puts(b, "| threshold | reps now | SLA (replayed) | SLA (Erlang C) | 95% of weeks "
                     "within capacity | average load |\n|---|--:|--:|--:|--:|--:|\n");
    for (size_t i = 0; i <= s->nrows; i++) {
        const metrics_row *m = i < s->nrows ? &s->rows[i] : s->pick;
        const staff_row *st = i < s->nrows ? &s->staff[i] : s->staff_pick;
        if (!m || !st) continue;
        util_buf_puts(b, i < s->nrows ? "| " : "| recommended ");
        thr_words(b, m);
        util_buf_puts(b, " |");
        md_cell_exact(b, s->sc->reps);
        reps_cell(b, st->reps_sla);
        reps_cell(b, st->reps_erlang);
        reps_cell(b, st->reps_weeks);
        reps_cell(b, st->reps_load);
        util_buf_puts(b, "\n");
    }
    util_buf_puts(b, "\nA dash: no SLA is set, or more than ");
    md_count(b, STAFF_MAX_REPS);
    util_buf_puts(b, " reps would be needed. staffing.csv has the same figures.\n");
}

void out_sales_md(util_buf *b, const out_scn *s, const char *level, int named) {
    if (!s->srows) return;
    util_buf_printf(b, "%s Follow-up and SLA", level);
    if (named) util_buf_puts(b, ": "), md_text(b, s->sc->name);
    util_buf_puts(b, "\n\n");
    team(b, s->sc);
    for (size_t i = 0; i < s->nrows; i++) verdict(b, s->sc, &s->rows[i], &s->srows[i], NULL);
    if (s->pick && s->spick) verdict(b, s->sc, s->pick, s->spick, "recommended");
    queue_table(b, s);
    if (s->staff) staffing(b, s, level);
    util_buf_puts(b, "\n");
}

static void staff_line(util_buf *b, const out_scn *s, const metrics_row *m, const staff_row *st,
                       const char *row) {
    csvout_text(b, s->sc->name);
    util_buf_puts(b, ",");
    csvout_num(b, m->threshold);
    util_buf_puts(b, ",");
    if (m->two_axis) csvout_num(b, m->fit_threshold);
    util_buf_printf(b, ",%s,", row);
    csvout_num(b, s->sc->reps);
    util_buf_puts(b, ",");
    csvout_num(b, st->target);
    long v[] = {st->reps_sla, -2, st->reps_erlang, st->reps_weeks, st->reps_load};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        util_buf_puts(b, ",");
        if (v[k] == -2) csvout_num(b, st->att_sla);
        else if (v[k] >= 0) util_buf_printf(b, "%ld", v[k]);
    }
    util_buf_puts(b, ",");
    csvout_num(b, st->lambda_h);
    util_buf_puts(b, "\n");
}

int out_sales_staffing_csv(util_buf *b, const out_scn *s, size_t ns) {
    int any = 0;
    for (size_t k = 0; k < ns; k++) any |= s[k].staff != NULL;
    if (!any) return 1;
    util_buf_puts(b, "scenario,threshold,fit_threshold,row,reps,sla_target,reps_for_sla,"
                     "sla_attainment_at_reps_for_sla,reps_for_sla_erlang_c,reps_for_weeks,"
                     "reps_for_load,handoffs_per_business_hour\n");
    for (size_t k = 0; k < ns; k++) {
        if (!s[k].staff) continue;
        for (size_t i = 0; i < s[k].nrows; i++) staff_line(b, &s[k], &s[k].rows[i], &s[k].staff[i], "listed");
        if (s[k].pick && s[k].staff_pick) staff_line(b, &s[k], s[k].pick, s[k].staff_pick, "recommended");
    }
    return 0;
}

void out_sales_terminal(util_buf *b, const out_scn *s) {
    if (!s->srows || !s->sc->has_sla) return;
    util_buf_printf(b, "%s: followed up within %.4g business hours (target %.4g%%):",
                    s->sc->name, s->sc->sla_business_hours, 100 * out_sales_target(s->sc));
    for (size_t i = 0; i < s->nrows; i++) {
        const queue *q = s->srows[i].q;
        char t[40];
        md_thr_fmt(t, sizeof t, s->rows[i].threshold, MD_THR_SIG);
        if (isnan(q->sla_attainment)) util_buf_printf(b, " %s -", t);
        else util_buf_printf(b, " %s %.1f%%%s", t, 100 * q->sla_attainment,
                             q->sla_attainment >= out_sales_target(s->sc) ? "" : " (breaks)");
        if (i + 1 < s->nrows) util_buf_puts(b, ",");
    }
    util_buf_puts(b, "\n");
}
