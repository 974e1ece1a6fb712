/* logit.c - L2-regularised logistic regression: Newton steps on the penalised normal equations (GSL Cholesky).
 *
 * Each iteration accumulates the gradient and the Hessian X'WX of the
 * intercept and the coefficients in one pass over the rows (rows of weight
 * 0 skipped), adds lambda to the coefficients' diagonal (never to the
 * intercept's), and solves for the Newton step by Cholesky. The step is
 * halved until the penalised objective does not rise, so a separable
 * problem (a feature only won leads have) converges to the finite
 * penalised optimum instead of running away. */
#include "logit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

int logit_fit_init(logit_fit *f, size_t p, util_err *err) {
    memset(f, 0, sizeof *f);
    f->p = p;
    f->beta = util_calloc(p + 1, sizeof *f->beta);
    f->se = util_calloc(p + 1, sizeof *f->se);
    if (!f->beta || !f->se) {
        logit_fit_fini(f);
        return util_enomem(err);
    }
    return 0;
}

void logit_fit_fini(logit_fit *f) {
    free(f->beta);
    free(f->se);
    f->beta = f->se = NULL;
}

double logit_loss(double eta, int y) {
    /* log(1 + e^eta) without overflow, minus y * eta */
    double sp = eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta));
    return sp - (y ? eta : 0);
}

double logit_eta(const logit_fit *f, const double *x) {
    double e = f->b0;
    for (size_t j = 0; j < f->p; j++) e += x[j] * f->beta[j];
    return e;
}

/* eta of row i under theta (theta[0] the intercept). */
static double eta_of(const logit_data *d, const double *theta, size_t i) {
    const double *x = d->x + i * d->p;
    double e = theta[0];
    for (size_t j = 0; j < d->p; j++) e += x[j] * theta[j + 1];
    return e;
}

static double objective(const logit_data *d, const double *theta, double lambda) {
    double s = 0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1;
        if (w > 0) s += w * logit_loss(eta_of(d, theta, i), d->y[i]);
    }
    double pen = 0;
    for (size_t j = 1; j <= d->p; j++) pen += theta[j] * theta[j];
    return s + 0.5 * lambda * pen;
}

/* Gradient of the log-likelihood minus the penalty (the ascent direction)
 * into g, and the penalised Hessian of the objective into h (full). */
static void derivatives(const logit_data *d, const double *theta, double lambda, gsl_vector *g,
                        gsl_matrix *h) {
    size_t q = d->p + 1;
    gsl_vector_set_zero(g);
    gsl_matrix_set_zero(h);
    double *gd = g->data, *hd = h->data;
    size_t ht = h->tda;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1;
        if (!(w > 0)) continue;
        const double *x = d->x + i * d->p;
        double mu = 1 / (1 + exp(-eta_of(d, theta, i)));
        double v = w * mu * (1 - mu), r = w * ((double)d->y[i] - mu);
        gd[0] += r;
        hd[0] += v;
        for (size_t j = 0; j < d->p; j++) {
            double vx = v * x[j];
            gd[j + 1] += r * x[j];
            hd[j + 1] += vx; /* row 0 */
            double *row = hd + (j + 1) * ht;
            for (size_t k = j; k < d->p; k++) row[k + 1] += vx * x[k];
        }
    }
    for (size_t a = 0; a < q; a++)
        for (size_t b = a + 1; b < q; b++) hd[b * ht + a] = hd[a * ht + b];
    for (size_t j = 1; j < q; j++) {
        hd[j * ht + j] += lambda;
        gd[j] -= lambda * theta[j];
    }
}

/* Cholesky of h in place; one retry with a small ridge when it is not
 * positive definite (weights underflowing to 0 on a separated problem). */
static int factor(gsl_matrix *h, gsl_matrix *copy) {
    gsl_matrix_memcpy(copy, h);
    if (gsl_linalg_cholesky_decomp1(h) == 0) return 0;
    gsl_matrix_memcpy(h, copy);
    double most = 0;
    for (size_t j = 0; j < h->size1; j++)
        if (gsl_matrix_get(h, j, j) > most) most = gsl_matrix_get(h, j, j);
    for (size_t j = 0; j < h->size1; j++)
        gsl_matrix_set(h, j, j, gsl_matrix_get(h, j, j) + 1e-10 * (1 + most));
    return gsl_linalg_cholesky_decomp1(h) == 0 ? 0 : -1;
}

/* Starting point: the intercept at the weighted base rate, clamped away
 * from 0 and 1 so that it is finite. */
static double start_b0(const logit_data *d) {
    double sw = 0, sy = 0;
    for (size_t i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1;
        sw += w;
        sy += w * d->y[i];
    }
    double p = sw > 0 ? sy / sw : 0.5;
    if (p < 1e-6) p = 1e-6;
    if (p > 1 - 1e-6) p = 1 - 1e-6;
    return log(p / (1 - p));
}

int logit_fit_run(const logit_data *d, double lambda, logit_fit *f, int warm, util_err *err) {
    size_t q = d->p + 1;
    gsl_matrix *h = gsl_matrix_alloc(q, q), *hc = gsl_matrix_alloc(q, q);
    gsl_vector *g = gsl_vector_alloc(q), *step = gsl_vector_alloc(q);
    double *theta = util_calloc(q, sizeof *theta), *trial = util_calloc(q, sizeof *trial);
    int rc = -1;
    if (!h || !hc || !g || !step || !theta || !trial) {
        util_enomem(err);
        goto done;
    }
    theta[0] = warm ? f->b0 : start_b0(d);
    for (size_t j = 0; warm && j < d->p; j++) theta[j + 1] = f->beta[j];
    double obj = objective(d, theta, lambda);
    int done = 0;
    f->converged = 0;
    for (f->iterations = 0;; f->iterations++) {
        derivatives(d, theta, lambda, g, h);
        if (factor(h, hc) < 0) {
            util_errf(err, UTIL_EINTERNAL,
                      "logistic fit: the penalised Hessian is singular (a constant or "
                      "duplicated feature without a penalty)");
            goto done;
        }
        if (done || f->iterations >= LOGIT_MAX_ITER) break;
        gsl_linalg_cholesky_solve(h, g, step);
        double t = 1, moved = 0, size = 0;
        for (size_t j = 0; j < q; j++)
            if (fabs(theta[j]) > size) size = fabs(theta[j]);
        for (int half = 0; half < 60; half++, t *= 0.5) {
            for (size_t j = 0; j < q; j++) trial[j] = theta[j] + t * step->data[j];
            double o = objective(d, trial, lambda);
            if (o <= obj + 1e-13 * fabs(obj)) {
                obj = o;
                moved = 1;
                break;
            }
        }
        double big = 0;
        for (size_t j = 0; j < q; j++)
            if (fabs(t * step->data[j]) > big) big = fabs(t * step->data[j]);
        if (moved) memcpy(theta, trial, q * sizeof *theta);
        /* Converged: the step is negligible, or no step lowers the
         * objective (we are at its minimum within rounding). */
        if (!moved || big < 1e-9 * (1 + size)) {
            f->converged = 1;
            done = 1;
        }
    }
    /* h holds the Cholesky factor of the Hessian at theta: its inverse
     * gives the standard errors. */
    gsl_linalg_cholesky_invert(h);
    f->b0 = theta[0];
    f->se0 = sqrt(gsl_matrix_get(h, 0, 0));
    for (size_t j = 0; j < d->p; j++) {
        f->beta[j] = theta[j + 1];
        f->se[j] = sqrt(gsl_matrix_get(h, j + 1, j + 1));
    }
    f->objective = obj;
    rc = 0;
done:
    if (h) gsl_matrix_free(h);
    if (hc) gsl_matrix_free(hc);
    if (g) gsl_vector_free(g);
    if (step) gsl_vector_free(step);
    free(theta);
    free(trial);
    return rc;
}
