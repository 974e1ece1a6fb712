/* logit.h - L2-regularised logistic regression by IRLS (Newton's method), with standard errors.
 *
 * Minimises the penalised negative log-likelihood
 *     sum_i w_i [log(1 + exp(eta_i)) - y_i eta_i] + lambda / 2 * sum_j beta_j^2,
 *     eta_i = b0 + sum_j x_ij beta_j,
 * over the intercept b0 (not penalised) and beta. Each step solves the
 * penalised normal equations (X'WX + diag(0, lambda, ..)) d = gradient by a
 * Cholesky factorisation (GSL), halving the step until the objective
 * falls. Standard errors are the square roots of the diagonal of the
 * inverse penalised Hessian at the solution. Case weights w_i (NULL: all 1)
 * let a caller hold rows out (weight 0) or resample them (weight = how many
 * times drawn) without copying the matrix. Pure and deterministic: the same
 * inputs give the same bits. GSL's error handler must be off (main turns it
 * off): a matrix that is not positive definite is handled here. */
#ifndef LEADSIM_LOGIT_H
#define LEADSIM_LOGIT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct logit_data {
    const double *x;  /* n rows of p columns, row-major */
    const uint8_t *y; /* 0 or 1 per row */
    const double *w;  /* case weights >= 0 per row, or NULL for 1 */
    size_t n, p;
} logit_data;

typedef struct logit_fit {
    size_t p;
    double b0, se0;   /* intercept and its standard error */
    double *beta;     /* p coefficients */
    double *se;       /* p standard errors */
    int iterations;
    int converged;    /* the step fell below 1e-9 within LOGIT_MAX_ITER steps */
    double objective; /* the penalised negative log-likelihood at the solution */
} logit_fit;

#define LOGIT_MAX_ITER 100

/* Room for P coefficients, all 0. UTIL_EINTERNAL when memory runs out. */
int logit_fit_init(logit_fit *f, size_t p, util_err *err);
void logit_fit_fini(logit_fit *f);

/* Fit D with penalty LAMBDA >= 0 into F (initialised for D->p), starting
 * from F's own b0 and beta when WARM (a nearby fit: fewer steps), else from
 * b0 = the log-odds of the weighted mean of y and beta = 0. The answer is
 * the same optimum either way, up to the convergence tolerance. Errors:
 * UTIL_EINTERNAL for memory, or when the penalised Hessian is singular
 * (lambda 0 with a constant or duplicated column) even after a small ridge. */
int logit_fit_run(const logit_data *d, double lambda, logit_fit *f, int warm, util_err *err);

/* The linear predictor b0 + x . beta of row X (F->p values). */
double logit_eta(const logit_fit *f, const double *x);

/* The log-loss log(1 + exp(eta)) - y eta of one case, computed stably. */
double logit_loss(double eta, int y);

#endif
