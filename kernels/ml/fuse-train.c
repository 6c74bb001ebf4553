/* gst-emo — training fusion models: liblinear SVR stacking (the AVEC 2019
 * organisers' recipe, multistage as Atmaja & Akagi 2020), the CCC-weighted
 * fuser and the plain mean.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuse-train.h"

#include <linear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- data ---- */

EmoFuseData *
emo_fuse_data_new (guint n_inputs, guint n_attrs)
{
  EmoFuseData *d = g_new0 (EmoFuseData, 1);
  d->n_inputs = n_inputs;
  d->n_attrs = n_attrs;
  d->dim = n_inputs * n_attrs;
  d->seqs = g_ptr_array_new ();
  return d;
}

void
emo_fuse_data_free (EmoFuseData * d)
{
  guint i;
  if (!d)
    return;
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = g_ptr_array_index (d->seqs, i);
    g_free (s->x);
    g_free (s->gold);
    g_free (s->name);
    g_free (s->group);
    g_free (s);
  }
  g_ptr_array_unref (d->seqs);
  g_free (d);
}

EmoFuseSeq *
emo_fuse_data_add (EmoFuseData * d, const gchar * name, guint T, gfloat * x,
    gfloat * gold)
{
  EmoFuseSeq *s = g_new0 (EmoFuseSeq, 1);
  s->T = T;
  s->x = x;
  s->gold = gold;
  s->name = g_strdup (name);
  g_ptr_array_add (d->seqs, s);
  return s;
}

guint64
emo_fuse_data_frames (const EmoFuseData * d)
{
  guint64 n = 0;
  guint i;
  for (i = 0; i < d->seqs->len; i++)
    n += ((EmoFuseSeq *) g_ptr_array_index (d->seqs, i))->T;
  return n;
}

#define SEQ(d, i) ((EmoFuseSeq *) g_ptr_array_index ((d)->seqs, (i)))

guint
emo_fuse_context_offsets (EmoFuseContextStyle style, guint K, gint * offsets)
{
  guint n = 0, c;
  switch (style) {
    case EMO_FUSE_CONTEXT_ORGANISERS:
      /* fuse_results.py contextualise(): the frame itself, then m-c and m+c
       * for c in 0..K-1 (so the frame appears three times, reach K-1) */
      offsets[n++] = 0;
      for (c = 0; c < K; c++)
        offsets[n++] = -(gint) c;
      for (c = 0; c < K; c++)
        offsets[n++] = c;
      break;
    case EMO_FUSE_CONTEXT_CAUSAL:
      for (c = 0; c <= 2 * K; c++)
        offsets[n++] = -(gint) (2 * K) + c;
      break;
    case EMO_FUSE_CONTEXT_SYMMETRIC:
    default:
      for (c = 0; c <= 2 * K; c++)
        offsets[n++] = -(gint) K + c;
      break;
  }
  return n;
}

/* CCC as AVEC 2019 over concatenated strided columns. */
static gdouble
ccc_multi (const EmoFuseData * d, gfloat * const *pred, guint pstride,
    guint pcol, guint a)
{
  gdouble n = 0, mx = 0, my = 0, cov = 0, vx = 0, vy = 0, den;
  guint i, t;

  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (d, i);
    for (t = 0; t < s->T; t++) {
      mx += pred[i][(gsize) t * pstride + pcol];
      my += s->gold[(gsize) t * d->n_attrs + a];
    }
    n += s->T;
  }
  if (n < 2)
    return NAN;
  mx /= n;
  my /= n;
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (d, i);
    for (t = 0; t < s->T; t++) {
      gdouble dx = pred[i][(gsize) t * pstride + pcol] - mx;
      gdouble dy = s->gold[(gsize) t * d->n_attrs + a] - my;
      cov += dx * dy;
      vx += dx * dx;
      vy += dy * dy;
    }
  }
  den = vx / (n - 1) + vy / (n - 1) + (mx - my) * (mx - my);
  if (!(den > 0))
    return NAN;
  return 2.0 * (cov / n) / den;
}

gdouble
emo_fuse_score (const EmoFuseData * d, gfloat * const *out, guint a)
{
  return ccc_multi (d, out, d->n_attrs, a, a);
}

/* ---- liblinear ---- */

struct _EmoFuseSvrProblem
{
  struct problem prob;
  struct feature_node *space;
  const EmoFuseData *d;
  guint n_feat;                 /* n_offsets * dim */
};

static void
quiet (const char *s)
{
}

EmoFuseSvrProblem *
emo_fuse_svr_problem_new (const EmoFuseData * d, gfloat * const *x, guint dim,
    const gint * offsets, guint n_offsets, gboolean causal)
{
  EmoFuseSvrProblem *p = g_new0 (EmoFuseSvrProblem, 1);
  guint64 l = emo_fuse_data_frames (d), row = 0;
  guint n_feat = n_offsets * dim, i, t, o, j;
  gsize per_row = n_feat + 2;

  p->d = d;
  p->n_feat = n_feat;
  p->prob.l = l;
  p->prob.n = n_feat + 1;
  p->prob.bias = 1.0;
  p->prob.y = g_new (double, l);
  p->prob.x = g_new (struct feature_node *, l);
  p->space = g_new (struct feature_node, per_row * l);
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (d, i);
    for (t = 0; t < s->T; t++, row++) {
      struct feature_node *f = p->space + per_row * row;
      p->prob.x[row] = f;
      for (o = 0; o < n_offsets; o++) {
        const gfloat *xr = x[i] + (gsize) emo_fuse_context_frame (t,
            offsets[o], s->T - 1, causal) * dim;
        for (j = 0; j < dim; j++) {
          f->index = o * dim + j + 1;
          f->value = xr[j];
          f++;
        }
      }
      f->index = n_feat + 1;
      f->value = 1.0;
      f++;
      f->index = -1;
      f->value = 0;
    }
  }
  return p;
}

void
emo_fuse_svr_problem_free (EmoFuseSvrProblem * p)
{
  if (!p)
    return;
  g_free (p->prob.y);
  g_free (p->prob.x);
  g_free (p->space);
  g_free (p);
}

gboolean
emo_fuse_svr_problem_fit (EmoFuseSvrProblem * p, guint a, gdouble C,
    gdouble * w, gdouble * bias, GError ** error)
{
  struct parameter param;
  struct model *mdl;
  const char *msg;
  guint64 row = 0;
  guint i, t, j;

  for (i = 0; i < p->d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (p->d, i);
    for (t = 0; t < s->T; t++)
      p->prob.y[row++] = s->gold[(gsize) t * p->d->n_attrs + a];
  }
  memset (&param, 0, sizeof param);
  /* scikit-learn LinearSVR defaults: epsilon-insensitive (L1) loss, dual,
   * epsilon 0, tol 1e-4, intercept as a bias feature of value 1 */
  param.solver_type = L2R_L1LOSS_SVR_DUAL;
  param.C = C;
  param.eps = 1e-4;
  param.p = 0.0;
  msg = check_parameter (&p->prob, &param);
  if (msg) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_TRAIN, "liblinear: %s",
        msg);
    return FALSE;
  }
  set_print_string_function (quiet);
  /* liblinear permutes with rand(): seed it so fits are reproducible */
  srand (1);
  mdl = train (&p->prob, &param);
  if (!mdl) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_TRAIN,
        "liblinear: training failed");
    return FALSE;
  }
  for (j = 0; j < p->n_feat; j++)
    w[j] = mdl->w[j];
  *bias = mdl->w[p->n_feat] * p->prob.bias;
  free_and_destroy_model (&mdl);
  for (j = 0; j < p->n_feat; j++)
    if (!isfinite (w[j])) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_TRAIN,
          "liblinear: non-finite weights");
      return FALSE;
    }
  return TRUE;
}

/* Prediction of one attribute of a stacked linear map over all sequences. */
static void
predict_attr (const EmoFuseData * d, gfloat * const *x, guint dim,
    const gint * offsets, guint n_off, gboolean causal, const gdouble * w,
    gdouble bias, gfloat ** out, guint ostride, guint ocol)
{
  guint i, t, o, j;
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (d, i);
    for (t = 0; t < s->T; t++) {
      gdouble acc = bias;
      for (o = 0; o < n_off; o++) {
        const gfloat *xr = x[i] + (gsize) emo_fuse_context_frame (t,
            offsets[o], s->T - 1, causal) * dim;
        for (j = 0; j < dim; j++)
          acc += w[o * dim + j] * xr[j];
      }
      out[i][(gsize) t * ostride + ocol] = acc;
    }
  }
}

/* ---- CCC-weighted fuser ---- */

void
emo_fuse_simplex_project (guint n, gdouble * w)
{
  gdouble *u = g_new (gdouble, n), css = 0, theta = 0;
  guint i, j;

  memcpy (u, w, n * sizeof (gdouble));
  /* sort descending (n is small) */
  for (i = 1; i < n; i++)
    for (j = i; j > 0 && u[j] > u[j - 1]; j--) {
      gdouble tmp = u[j];
      u[j] = u[j - 1];
      u[j - 1] = tmp;
    }
  for (i = 0; i < n; i++) {
    css += u[i];
    if (u[i] - (css - 1.0) / (i + 1) > 0)
      theta = (css - 1.0) / (i + 1);
  }
  for (i = 0; i < n; i++)
    w[i] = MAX (w[i] - theta, 0.0);
  g_free (u);
}

gdouble
emo_fuse_cccw_objective (guint n, const gdouble * S, const gdouble * c,
    gdouble vy, gdouble lambda, const gdouble * w, gdouble * grad)
{
  gdouble *Sw = g_new0 (gdouble, n), q = 0, cw = 0, pen = 0, rho, den;
  guint i, j;

  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++)
      Sw[i] += S[i * n + j] * w[j];
    q += w[i] * Sw[i];
    cw += c[i] * w[i];
    pen += (w[i] - 1.0 / n) * (w[i] - 1.0 / n);
  }
  if (!(q > 1e-300) || !(vy > 0)) {
    if (grad)
      for (i = 0; i < n; i++)
        grad[i] = -2.0 * lambda * (w[i] - 1.0 / n);
    g_free (Sw);
    return -1.0 - lambda * pen;
  }
  den = sqrt (q * vy);
  rho = cw / den;
  if (grad)
    for (i = 0; i < n; i++)
      grad[i] =
          c[i] / den - cw * Sw[i] / (q * den) - 2.0 * lambda * (w[i] - 1.0 / n);
  g_free (Sw);
  return rho - lambda * pen;
}

void
emo_fuse_cccw_solve (guint n, const gdouble * S, const gdouble * c, gdouble vy,
    gdouble lambda, gdouble * w)
{
  gdouble *g = g_new (gdouble, n), *cand = g_new (gdouble, n), J, Jc, step =
      1.0;
  guint i, it;

  for (i = 0; i < n; i++)
    w[i] = 1.0 / n;
  J = emo_fuse_cccw_objective (n, S, c, vy, lambda, w, g);
  for (it = 0; it < 500; it++) {
    gboolean moved = FALSE;
    while (step > 1e-12) {
      for (i = 0; i < n; i++)
        cand[i] = w[i] + step * g[i];
      emo_fuse_simplex_project (n, cand);
      Jc = emo_fuse_cccw_objective (n, S, c, vy, lambda, cand, NULL);
      if (Jc > J) {
        moved = Jc - J > 1e-12;
        memcpy (w, cand, n * sizeof (gdouble));
        J = emo_fuse_cccw_objective (n, S, c, vy, lambda, w, g);
        step *= 1.5;
        break;
      }
      step *= 0.5;
    }
    if (!moved)
      break;
  }
  g_free (g);
  g_free (cand);
}

/* Sufficient statistics of one attribute of one sequence. */
typedef struct
{
  gdouble n, sy, syy;
  gdouble *sp, *spp, *spy;      /* n_in, n_in^2, n_in */
} Stats;

static void
stats_init (Stats * s, guint m)
{
  memset (s, 0, sizeof *s);
  s->sp = g_new0 (gdouble, m);
  s->spp = g_new0 (gdouble, m * m);
  s->spy = g_new0 (gdouble, m);
}

static void
stats_clear (Stats * s)
{
  g_free (s->sp);
  g_free (s->spp);
  g_free (s->spy);
}

static void
stats_axpy (Stats * dst, gdouble alpha, const Stats * src, guint m)
{
  guint i;
  dst->n += alpha * src->n;
  dst->sy += alpha * src->sy;
  dst->syy += alpha * src->syy;
  for (i = 0; i < m; i++) {
    dst->sp[i] += alpha * src->sp[i];
    dst->spy[i] += alpha * src->spy[i];
  }
  for (i = 0; i < m * m; i++)
    dst->spp[i] += alpha * src->spp[i];
}

/* Moving average of attribute a of every input over the context window,
 * clamped at the sequence ends as the fuser runner does. z: T x m. */
static void
smooth_inputs (const EmoFuseSeq * s, guint n_in, guint n_attrs, guint a,
    const gint * offs, guint n_off, gboolean causal, gdouble * z)
{
  guint t, o, m;
  for (t = 0; t < s->T; t++) {
    for (m = 0; m < n_in; m++)
      z[(gsize) t * n_in + m] = 0;
    for (o = 0; o < n_off; o++) {
      guint64 k = emo_fuse_context_frame (t, offs[o], s->T - 1, causal);
      for (m = 0; m < n_in; m++)
        z[(gsize) t * n_in + m] +=
            s->x[(gsize) k * n_in * n_attrs + m * n_attrs + a];
    }
    for (m = 0; m < n_in; m++)
      z[(gsize) t * n_in + m] /= n_off;
  }
}

static void
stats_add_seq (Stats * st, const gdouble * z, const EmoFuseSeq * s, guint m,
    guint n_attrs, guint a)
{
  guint t, i, j;
  for (t = 0; t < s->T; t++) {
    const gdouble *p = z + (gsize) t * m;
    gdouble y = s->gold[(gsize) t * n_attrs + a];
    st->n += 1;
    st->sy += y;
    st->syy += y * y;
    for (i = 0; i < m; i++) {
      st->sp[i] += p[i];
      st->spy[i] += p[i] * y;
      for (j = 0; j < m; j++)
        st->spp[i * m + j] += p[i] * p[j];
    }
  }
}

/* Fits weights + scale + bias on stats; returns FALSE if degenerate. */
static gboolean
cccw_fit_stats (const Stats * st, guint m, gdouble lambda, gdouble beta,
    gdouble * w, gdouble * scale, gdouble * bias)
{
  gdouble *S = g_new (gdouble, m * m), *c = g_new (gdouble, m);
  gdouble my = st->sy / st->n, vy = st->syy / st->n - my * my, mz = 0, vz =
      0, sfull;
  guint i, j;

  for (i = 0; i < m; i++) {
    gdouble mi = st->sp[i] / st->n;
    c[i] = st->spy[i] / st->n - mi * my;
    for (j = 0; j < m; j++)
      S[i * m + j] = st->spp[i * m + j] / st->n - mi * st->sp[j] / st->n;
  }
  if (!(vy > 1e-300)) {
    g_free (S);
    g_free (c);
    return FALSE;
  }
  emo_fuse_cccw_solve (m, S, c, vy, lambda, w);
  for (i = 0; i < m; i++) {
    mz += w[i] * st->sp[i] / st->n;
    for (j = 0; j < m; j++)
      vz += w[i] * S[i * m + j] * w[j];
  }
  sfull = vz > 1e-300 ? sqrt (vy / vz) : 1.0;
  *scale = 1.0 + beta * (sfull - 1.0);
  *bias = beta * (my - *scale * mz);
  g_free (S);
  g_free (c);
  return TRUE;
}

/* Concatenated-prediction moments of f = scale * w.p + bias on stats. */
static void
pred_moments (const Stats * st, guint m, const gdouble * w, gdouble scale,
    gdouble bias, gdouble * sf, gdouble * sff, gdouble * sfy)
{
  gdouble wp = 0, wpy = 0, wppw = 0;
  guint i, j;
  for (i = 0; i < m; i++) {
    wp += w[i] * st->sp[i];
    wpy += w[i] * st->spy[i];
    for (j = 0; j < m; j++)
      wppw += w[i] * st->spp[i * m + j] * w[j];
  }
  *sf += scale * wp + bias * st->n;
  *sff += scale * scale * wppw + 2 * scale * bias * wp + bias * bias * st->n;
  *sfy += scale * wpy + bias * st->sy;
}

static gdouble
ccc_from_moments (gdouble n, gdouble sf, gdouble sff, gdouble sfy, gdouble sy,
    gdouble syy)
{
  gdouble mf = sf / n, my = sy / n;
  gdouble cov = sfy / n - mf * my;
  gdouble vf = (sff - n * mf * mf) / (n - 1), vy =
      (syy - n * my * my) / (n - 1);
  gdouble den = vf + vy + (mf - my) * (mf - my);
  return den > 0 ? 2 * cov / den : NAN;
}

static const gdouble default_lambdas[] =
    { 0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 1e6 };
static const gdouble default_betas[] = { 0.0, 0.25, 0.5, 0.75, 1.0 };
static const guint default_hs[] = { 0, 2, 5, 10, 20 };

static void
logf_ (const EmoFuseTrainOptions * o, const gchar * fmt, ...)
G_GNUC_PRINTF (2, 3);
     static void logf_ (const EmoFuseTrainOptions * o, const gchar * fmt, ...)
{
  va_list ap;
  gchar *s;
  if (!o->log)
    return;
  va_start (ap, fmt);
  s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  o->log (s, o->log_data);
  g_free (s);
}

static guint
smooth_offsets (guint h, gboolean causal, gint * offs)
{
  return emo_fuse_context_offsets (causal ? EMO_FUSE_CONTEXT_CAUSAL :
      EMO_FUSE_CONTEXT_SYMMETRIC, h, offs);
}

/* Chooses (h, lambda, beta) for attribute a by leave-one-sequence-out CCC
 * and fills stage weights for it. */

/* Standard error of the mean of the finite values of v[0..n-1]. */
static gdouble
standard_error (const gdouble * v, guint n)
{
  gdouble fm = 0, fv = 0;
  guint i, nf = 0;

  for (i = 0; i < n; i++)
    if (isfinite (v[i])) {
      fm += v[i];
      nf++;
    }
  fm = nf ? fm / nf : 0;
  for (i = 0; i < n; i++)
    if (isfinite (v[i]))
      fv += (v[i] - fm) * (v[i] - fm);
  return nf > 1 ? sqrt (fv / (nf - 1) / nf) : 0;
}

/* Configuration k = (h * nl + lambda) * nb + beta. Returns the chosen one
 * (G_MAXUINT if none is finite) and in *kb the best by CCC: with `one_se`,
 * among the settings within one standard error of the best, the least
 * corrected (smallest beta), then the most shrunk (largest lambda), then
 * the best CCC. */
static guint
cccw_select (const gdouble * ccc, const gdouble * se, guint ncfg,
    const gdouble * lams, guint nl, const gdouble * bets, guint nb,
    gboolean one_se, guint * kb)
{
  guint k, ksel = G_MAXUINT;
  gdouble thr;

  *kb = G_MAXUINT;
  for (k = 0; k < ncfg; k++)
    if (isfinite (ccc[k]) && (*kb == G_MAXUINT || ccc[k] > ccc[*kb] + 1e-9))
      *kb = k;
  if (*kb == G_MAXUINT)
    return G_MAXUINT;
  thr = ccc[*kb] - (one_se ? se[*kb] : 0.0);
  for (k = 0; k < ncfg; k++) {
    guint kl = (k / nb) % nl, kbt = k % nb;
    guint sl = (ksel / nb) % nl, sbt = ksel % nb;
    if (!isfinite (ccc[k]) || ccc[k] < thr)
      continue;
    if (ksel == G_MAXUINT || bets[kbt] < bets[sbt] ||
        (bets[kbt] == bets[sbt] && (lams[kl] > lams[sl] ||
                (lams[kl] == lams[sl] && ccc[k] > ccc[ksel]))))
      ksel = k;
  }
  return ksel;
}


/* One stage per model: places attribute a's filter (m input weights w
 * times `scale`, averaged over the n_off smoothing offsets) into the stage,
 * whose offsets are the widest window of all attributes (zeros pad). */
static void
cccw_place (EmoFuseStage * st, guint n_attrs, guint a, const gint * offs,
    guint n_off, const gdouble * w, guint m, gdouble scale, gdouble bias)
{
  guint i, j;

  for (i = 0; i < n_off; i++) {
    guint slot = G_MAXUINT;
    for (j = 0; j < st->n_offsets; j++)
      if (st->offsets[j] == offs[i])
        slot = j;
    g_assert (slot != G_MAXUINT);
    for (j = 0; j < m; j++)
      st->weights[(gsize) a * st->n_offsets * st->in_dim + slot * st->in_dim
          + j * n_attrs + a] += scale * w[j] / n_off;
  }
  st->bias[a] = bias;
}

static gboolean
cccw_train_attr (const EmoFuseData * d, EmoFuseModel * model, guint a,
    const EmoFuseTrainOptions * o, GError ** error)
{
  const gdouble *lams = o->lambdas ? o->lambdas : default_lambdas;
  const gdouble *bets = o->betas ? o->betas : default_betas;
  const guint *hs = o->hs ? o->hs : default_hs;
  guint nl = o->lambdas ? o->n_lambdas : G_N_ELEMENTS (default_lambdas);
  guint nb = o->betas ? o->n_betas : G_N_ELEMENTS (default_betas);
  guint nh = o->hs ? o->n_hs : G_N_ELEMENTS (default_hs);
  guint m = d->n_inputs, n_seq = d->seqs->len, hi, li, bi, i, j;
  gdouble best = -G_MAXDOUBLE, best_l = 0, best_b = 0;
  guint best_h = 0, ncfg;
  gdouble *cfg_ccc, *cfg_se;
  gdouble *w = g_new (gdouble, m);
  gint offs[2 * EMO_FUSE_MAX_OFFSET + 1];
  guint n_off;

  /* every (h, lambda, beta): concatenated leave-one-out CCC, and per-fold
   * CCC for its standard error */
  ncfg = nh * nl * nb;
  cfg_ccc = g_new (gdouble, ncfg);
  cfg_se = g_new (gdouble, ncfg);
  for (hi = 0; hi < nh; hi++) {
    Stats *per = g_new (Stats, n_seq), total, fold;
    gdouble *mom = g_new0 (gdouble, nl * nb * 3);
    gdouble *fccc = g_new0 (gdouble, (gsize) nl * nb * n_seq);
    gdouble sy = 0, syy = 0, n = 0;

    n_off = smooth_offsets (hs[hi], o->causal, offs);
    stats_init (&total, m);
    stats_init (&fold, m);
    for (i = 0; i < n_seq; i++) {
      EmoFuseSeq *s = SEQ (d, i);
      gdouble *z = g_new (gdouble, (gsize) s->T * m);
      smooth_inputs (s, m, d->n_attrs, a, offs, n_off, o->causal, z);
      stats_init (&per[i], m);
      stats_add_seq (&per[i], z, s, m, d->n_attrs, a);
      stats_axpy (&total, 1.0, &per[i], m);
      sy += per[i].sy;
      syy += per[i].syy;
      n += per[i].n;
      g_free (z);
    }
    for (i = 0; i < n_seq; i++) {
      stats_clear (&fold);
      stats_init (&fold, m);
      stats_axpy (&fold, 1.0, &total, m);
      stats_axpy (&fold, -1.0, &per[i], m);
      for (li = 0; li < nl; li++) {
        for (bi = 0; bi < nb; bi++) {
          gdouble scale, bias, f[3] = { 0, 0, 0 };
          guint c = li * nb + bi;
          if (!cccw_fit_stats (&fold, m, lams[li], bets[bi], w, &scale, &bias)) {
            fccc[(gsize) c * n_seq + i] = NAN;
            continue;
          }
          pred_moments (&per[i], m, w, scale, bias, &f[0], &f[1], &f[2]);
          mom[c * 3] += f[0];
          mom[c * 3 + 1] += f[1];
          mom[c * 3 + 2] += f[2];
          fccc[(gsize) c * n_seq + i] =
              ccc_from_moments (per[i].n, f[0], f[1], f[2], per[i].sy,
              per[i].syy);
        }
      }
    }
    for (li = 0; li < nl; li++)
      for (bi = 0; bi < nb; bi++) {
        guint c = li * nb + bi, k = (hi * nl + li) * nb + bi;
        gdouble *mm = &mom[c * 3];
        cfg_ccc[k] = ccc_from_moments (n, mm[0], mm[1], mm[2], sy, syy);
        cfg_se[k] = standard_error (fccc + (gsize) c * n_seq, n_seq);
      }
    for (i = 0; i < n_seq; i++)
      stats_clear (&per[i]);
    stats_clear (&total);
    stats_clear (&fold);
    g_free (per);
    g_free (mom);
    g_free (fccc);
  }
  /* best by leave-one-out CCC, then the one-standard-error rule: among the
   * settings within one standard error of the best, take the least
   * corrected (smallest beta), then the most shrunk (largest lambda), then
   * the best CCC. A few dozen sessions of one culture cannot tell a real
   * gain from a fit to that culture; the simpler fuser travels better. */
  {
    guint kb, ksel = cccw_select (cfg_ccc, cfg_se, ncfg, lams, nl, bets, nb,
        o->one_se, &kb);
    if (kb != G_MAXUINT) {
      best = cfg_ccc[ksel];
      best_h = hs[ksel / (nl * nb)];
      best_l = lams[(ksel / nb) % nl];
      best_b = bets[ksel % nb];
      logf_ (o,
          "cccw %s: best leave-one-out CCC %.4f (se %.4f) at h=%u lambda=%g beta=%g",
          model->attrs[a], cfg_ccc[kb], cfg_se[kb], hs[kb / (nl * nb)],
          lams[(kb / nb) % nl], bets[kb % nb]);
    }
  }
  g_free (cfg_ccc);
  g_free (cfg_se);
  if (best == -G_MAXDOUBLE) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "%s: constant labels or inputs, nothing to fit", model->attrs[a]);
    g_free (w);
    return FALSE;
  }
  /* refit on everything with the chosen hyper-parameters */
  {
    Stats total;
    gdouble scale, bias;
    n_off = smooth_offsets (best_h, o->causal, offs);
    stats_init (&total, m);
    for (i = 0; i < n_seq; i++) {
      EmoFuseSeq *s = SEQ (d, i);
      gdouble *z = g_new (gdouble, (gsize) s->T * m);
      smooth_inputs (s, m, d->n_attrs, a, offs, n_off, o->causal, z);
      stats_add_seq (&total, z, s, m, d->n_attrs, a);
      g_free (z);
    }
    cccw_fit_stats (&total, m, best_l, best_b, w, &scale, &bias);
    stats_clear (&total);
    cccw_place (&model->stages[0], d->n_attrs, a, offs, n_off, w, m, scale,
        bias);
    {
      GString *ws = g_string_new (NULL);
      for (j = 0; j < m; j++)
        g_string_append_printf (ws, "%s%.3f", j ? "," : "", w[j]);
      emo_fuse_model_add_record (model, "cccw %s: h=%u lambda=%g beta=%g "
          "scale=%.4f bias=%.4f weights=%s loso-ccc=%.4f", model->attrs[a],
          best_h, best_l, best_b, scale, bias, ws->str, best);
      logf_ (o, "cccw %s: h=%u lambda=%g beta=%g scale=%.3f bias=%.3f "
          "weights=%s leave-one-out CCC %.4f", model->attrs[a], best_h, best_l,
          best_b, scale, bias, ws->str, best);
      g_string_free (ws, TRUE);
    }
  }
  g_free (w);
  return TRUE;
}

/* ---- orchestration ---- */

void
emo_fuse_train_options_init (EmoFuseTrainOptions * o)
{
  static const guint k15[] = { 15 };
  static const gdouble c001[] = { 0.01 };
  memset (o, 0, sizeof *o);
  o->method = "svr";
  o->n_stages = 1;
  o->style = EMO_FUSE_CONTEXT_SYMMETRIC;
  o->contexts = k15;
  o->n_contexts = 1;
  o->cs = c001;
  o->n_cs = 1;
  o->one_se = TRUE;
}

/* Stage inputs of every sequence for the next stage: [x, y]. */
static gfloat **
extend_inputs (const EmoFuseData * d, gfloat ** x, guint dim, gfloat ** y,
    guint n_attrs)
{
  gfloat **nx = g_new (gfloat *, d->seqs->len);
  guint i, t;
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (d, i);
    nx[i] = g_new (gfloat, (gsize) s->T * (dim + n_attrs));
    for (t = 0; t < s->T; t++) {
      memcpy (nx[i] + (gsize) t * (dim + n_attrs), x[i] + (gsize) t * dim,
          dim * sizeof (gfloat));
      memcpy (nx[i] + (gsize) t * (dim + n_attrs) + dim,
          y[i] + (gsize) t * n_attrs, n_attrs * sizeof (gfloat));
    }
  }
  return nx;
}

static gfloat **
alloc_out (const EmoFuseData * d, guint n_attrs)
{
  gfloat **y = g_new (gfloat *, d->seqs->len);
  guint i;
  for (i = 0; i < d->seqs->len; i++)
    y[i] = g_new0 (gfloat, (gsize) SEQ (d, i)->T * n_attrs);
  return y;
}

static void
free_seqs (gfloat ** v, guint n, gboolean owned)
{
  guint i;
  if (!v)
    return;
  if (owned)
    for (i = 0; i < n; i++)
      g_free (v[i]);
  g_free (v);
}

static gfloat **
seq_inputs (const EmoFuseData * d)
{
  gfloat **x = g_new (gfloat *, d->seqs->len);
  guint i;
  for (i = 0; i < d->seqs->len; i++)
    x[i] = SEQ (d, i)->x;
  return x;
}

static void
apply_stage (const EmoFuseData * d, const EmoFuseStage * st, guint n_attrs,
    gfloat ** x, gboolean causal, gfloat ** y)
{
  guint i;
  for (i = 0; i < d->seqs->len; i++)
    emo_fuse_stage_apply (st, n_attrs, x[i], SEQ (d, i)->T, causal, y[i]);
}

static gboolean
check_data (const EmoFuseData * d, const gchar * what, GError ** error)
{
  guint i, t;
  if (!d || d->seqs->len == 0 || emo_fuse_data_frames (d) < 2) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA, "%s: no frames",
        what);
    return FALSE;
  }
  for (i = 0; i < d->seqs->len; i++) {
    EmoFuseSeq *s = SEQ (d, i);
    if (!s->gold) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
          "%s: %s has no labels", what, s->name);
      return FALSE;
    }
    for (t = 0; t < s->T * d->dim; t++)
      if (!isfinite (s->x[t])) {
        g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
            "%s: %s: frame %u: prediction is not finite", what, s->name,
            t / d->dim + 1);
        return FALSE;
      }
    for (t = 0; t < s->T * d->n_attrs; t++)
      if (!isfinite (s->gold[t])) {
        g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
            "%s: %s: frame %u: label is not finite", what, s->name,
            t / d->n_attrs + 1);
        return FALSE;
      }
  }
  return TRUE;
}

static void
report_stage (const EmoFuseData * d, EmoFuseModel * model, guint s, gfloat ** y,
    gdouble * ccc, const gchar * what, const EmoFuseTrainOptions * o)
{
  GString *msg = g_string_new (NULL);
  guint a;
  gdouble mean = 0;
  g_string_append_printf (msg, "stage %u %s CCC", s + 1, what);
  for (a = 0; a < d->n_attrs; a++) {
    gdouble c = emo_fuse_score (d, y, a);
    if (ccc)
      ccc[s * d->n_attrs + a] = c;
    mean += c / d->n_attrs;
    g_string_append_printf (msg, " %s %.4f", model->attrs[a], c);
  }
  g_string_append_printf (msg, " mean %.4f", mean);
  logf_ (o, "%s", msg->str);
  emo_fuse_model_add_record (model, "%s", msg->str);
  g_string_free (msg, TRUE);
}

static void run_stage (const EmoFuseData * d, EmoFuseModel * model, guint s,
    gfloat *** x, guint dim, gboolean owned, gboolean last,
    const EmoFuseTrainOptions * o, gdouble * ccc, const gchar * what);

/* mean / cccw: one smoothing stage, fitted (cccw) or fixed (mean), scored
 * on the training and evaluation data. */
static gboolean
train_smoothing (const EmoFuseData * train, const EmoFuseData * eval,
    EmoFuseModel * model, const EmoFuseTrainOptions * o, gdouble * stage_ccc,
    gdouble * eval_ccc, GError ** error)
{
  guint A = train->n_attrs, M = train->n_inputs, hmax = 0, n_off, i, a;
  gboolean mean = !strcmp (o->method, "mean");
  gint offs[2 * EMO_FUSE_MAX_OFFSET + 1];
  EmoFuseStage *st;
  gfloat **x;

  if (!mean) {
    const guint *hs = o->hs ? o->hs : default_hs;
    guint nh = o->hs ? o->n_hs : G_N_ELEMENTS (default_hs);
    for (i = 0; i < nh; i++)
      hmax = MAX (hmax, hs[i]);
    if (hmax > EMO_FUSE_MAX_OFFSET / 2) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
          "smoothing too wide");
      return FALSE;
    }
  }
  n_off = smooth_offsets (hmax, o->causal, offs);
  st = emo_fuse_model_add_stage (model, offs, n_off);
  if (mean) {
    guint zero = 0;
    for (i = 0; i < n_off; i++)
      if (offs[i] == 0)
        zero = i;
    for (a = 0; a < A; a++)
      for (i = 0; i < M; i++)
        st->weights[(gsize) a * n_off * st->in_dim + zero * st->in_dim +
            i * A + a] = 1.0 / M;
  } else {
    for (a = 0; a < A; a++)
      if (!cccw_train_attr (train, model, a, o, error))
        return FALSE;
  }
  x = seq_inputs (train);
  run_stage (train, model, 0, &x, M * A, FALSE, TRUE, o, stage_ccc, "train");
  if (eval) {
    x = seq_inputs (eval);
    run_stage (eval, model, 0, &x, M * A, FALSE, TRUE, o, eval_ccc, "eval");
  }
  return TRUE;
}

static gboolean
check_svr_options (const EmoFuseTrainOptions * o, GError ** error)
{
  guint i;

  if (o->n_stages < 1 || o->n_stages > EMO_FUSE_MAX_STAGES || o->n_contexts < 1
      || o->n_cs < 1) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "bad stage count or empty grid");
    return FALSE;
  }
  for (i = 0; i < o->n_contexts; i++)
    if (o->contexts[i] < 1 || o->contexts[i] > EMO_FUSE_MAX_OFFSET / 2) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
          "context %u out of range 1..%d", o->contexts[i],
          EMO_FUSE_MAX_OFFSET / 2);
      return FALSE;
    }
  for (i = 0; i < o->n_cs; i++)
    if (!(o->cs[i] > 0) || !isfinite (o->cs[i])) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
          "C must be positive");
      return FALSE;
    }
  return TRUE;
}

/* The best fit of each attribute at one SVR stage. */
typedef struct
{
  guint A;
  gdouble *bias, *ccc;          /* A */
  guint *n_off;                 /* A */
  gint **offs;                  /* A, n_off[a] offsets */
  gdouble **w;                  /* A, n_off[a] * dim weights */
} StageFit;

static StageFit *
stage_fit_new (guint A)
{
  StageFit *f = g_new0 (StageFit, 1);
  guint a;

  f->A = A;
  f->bias = g_new0 (gdouble, A);
  f->ccc = g_new (gdouble, A);
  f->n_off = g_new0 (guint, A);
  f->offs = g_new0 (gint *, A);
  f->w = g_new0 (gdouble *, A);
  for (a = 0; a < A; a++)
    f->ccc[a] = -G_MAXDOUBLE;
  return f;
}

static void
stage_fit_free (StageFit * f)
{
  guint a;

  for (a = 0; a < f->A; a++) {
    g_free (f->offs[a]);
    g_free (f->w[a]);
  }
  g_free (f->bias);
  g_free (f->ccc);
  g_free (f->n_off);
  g_free (f->offs);
  g_free (f->w);
  g_free (f);
}

/* SVR search state of one training run. */
typedef struct
{
  const EmoFuseData *train;
  const gchar *const *attrs;
  const EmoFuseTrainOptions *o;
  guint *best_k;                /* per attribute: K chosen at stage 1 */
  gdouble *best_c;              /* per attribute: C chosen at stage 1 */
  gfloat **x;                   /* current stage's inputs */
  guint dim;
  gfloat **tmp;                 /* one prediction column */
} SvrSearch;

/* Fits every attribute that uses context K at stage s (the whole C grid at
 * stage 1, stage 1's choice later) and keeps each one's best. */
static gboolean
svr_fit_context (SvrSearch * ss, guint s, guint K, StageFit * fit,
    GError ** error)
{
  const EmoFuseTrainOptions *o = ss->o;
  gint offs[2 * EMO_FUSE_MAX_OFFSET + 1];
  guint n_off = emo_fuse_context_offsets (o->causal ? EMO_FUSE_CONTEXT_CAUSAL :
      o->style, K, offs), ci, a;
  EmoFuseSvrProblem *prob = emo_fuse_svr_problem_new (ss->train, ss->x,
      ss->dim, offs, n_off, o->causal);
  gboolean ok = TRUE;

  for (ci = 0; ok && ci < (s == 0 ? o->n_cs : 1); ci++) {
    for (a = 0; ok && a < fit->A; a++) {
      gdouble C = s == 0 ? o->cs[ci] : ss->best_c[a], bias, c;
      gint64 t0 = g_get_monotonic_time ();
      gdouble *w;
      if (s > 0 && ss->best_k[a] != K)
        continue;
      w = g_new (gdouble, n_off * ss->dim);
      ok = emo_fuse_svr_problem_fit (prob, a, C, w, &bias, error);
      if (!ok) {
        g_free (w);
        break;
      }
      predict_attr (ss->train, ss->x, ss->dim, offs, n_off, o->causal, w,
          bias, ss->tmp, 1, 0);
      c = ccc_multi (ss->train, ss->tmp, 1, 0, a);
      logf_ (o, "  stage %u %s K=%u C=%g fit CCC %.4f (%.1f s)", s + 1,
          ss->attrs[a], K, C, c, (g_get_monotonic_time () - t0) / 1e6);
      if (!isfinite (c) || !(c > fit->ccc[a] || s > 0)) {
        g_free (w);
        continue;
      }
      fit->ccc[a] = c;
      if (s == 0) {
        ss->best_k[a] = K;
        ss->best_c[a] = C;
      }
      fit->bias[a] = bias;
      fit->n_off[a] = n_off;
      g_free (fit->offs[a]);
      fit->offs[a] = g_memdup2 (offs, n_off * sizeof (gint));
      g_free (fit->w[a]);
      fit->w[a] = w;
    }
  }
  emo_fuse_svr_problem_free (prob);
  return ok;
}

/* Stage s's candidate contexts: the whole grid at stage 1; later, the
 * distinct K the attributes chose (one problem per K). */
static guint
svr_contexts (SvrSearch * ss, guint s, guint A, guint * Ks)
{
  guint n = 0, a, k;

  if (s == 0) {
    for (k = 0; k < ss->o->n_contexts; k++)
      Ks[n++] = ss->o->contexts[k];
    return n;
  }
  for (a = 0; a < A; a++) {
    gboolean seen = FALSE;
    for (k = 0; k < n; k++)
      seen |= Ks[k] == ss->best_k[a];
    if (!seen)
      Ks[n++] = ss->best_k[a];
  }
  return n;
}

/* Adds the stage: its offset list is the union of the attributes' (the
 * duplicate offsets of the organisers' layout add up: same linear map). */
static void
svr_add_stage (EmoFuseModel * model, const StageFit * fit, guint dim)
{
  gint lo = 0, hi = 0, uo[2 * EMO_FUSE_MAX_OFFSET + 1];
  guint nu = 0, a, i, j, u;
  EmoFuseStage *st;

  for (a = 0; a < fit->A; a++)
    for (i = 0; i < fit->n_off[a]; i++) {
      lo = MIN (lo, fit->offs[a][i]);
      hi = MAX (hi, fit->offs[a][i]);
    }
  for (i = 0; i <= (guint) (hi - lo); i++) {
    gint v = lo + (gint) i;
    gboolean used = FALSE;
    for (a = 0; a < fit->A && !used; a++)
      for (j = 0; j < fit->n_off[a]; j++)
        used |= fit->offs[a][j] == v;
    if (used)
      uo[nu++] = v;
  }
  st = emo_fuse_model_add_stage (model, uo, nu);
  for (a = 0; a < fit->A; a++) {
    for (i = 0; i < fit->n_off[a]; i++) {
      for (u = 0; u < nu && uo[u] != fit->offs[a][i]; u++);
      for (j = 0; j < dim; j++)
        st->weights[(gsize) a * nu * dim + u * dim + j] +=
            fit->w[a][i * dim + j];
    }
    st->bias[a] = fit->bias[a];
  }
}

/* One SVR stage: search, then add it to the model with its record. */
static gboolean
svr_stage (SvrSearch * ss, EmoFuseModel * model, guint s, GError ** error)
{
  guint A = ss->train->n_attrs, nK, k, a;
  guint *Ks = g_new (guint, MAX (ss->o->n_contexts, A));
  StageFit *fit = stage_fit_new (A);
  gboolean ok = TRUE;
  GString *rec;

  nK = svr_contexts (ss, s, A, Ks);
  ss->tmp = alloc_out (ss->train, 1);
  for (k = 0; ok && k < nK; k++)
    ok = svr_fit_context (ss, s, Ks[k], fit, error);
  free_seqs (ss->tmp, ss->train->seqs->len, TRUE);
  ss->tmp = NULL;
  for (a = 0; ok && a < A; a++)
    if (!fit->offs[a]) {
      g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_TRAIN,
          "stage %u: no usable fit for %s (constant labels?)", s + 1,
          ss->attrs[a]);
      ok = FALSE;
    }
  if (ok) {
    svr_add_stage (model, fit, ss->dim);
    rec = g_string_new (NULL);
    for (a = 0; a < A; a++)
      g_string_append_printf (rec, " %s K=%u C=%g", ss->attrs[a],
          ss->best_k[a], ss->best_c[a]);
    emo_fuse_model_add_record (model, "svr stage %u:%s", s + 1, rec->str);
    g_string_free (rec, TRUE);
  }
  stage_fit_free (fit);
  g_free (Ks);
  return ok;
}

/* Runs stage s on the inputs *x of `d` (owned when `owned`), reports its
 * CCC and, unless `last`, replaces *x by the next stage's inputs (these plus
 * this stage's outputs); when last, frees *x. */
static void
run_stage (const EmoFuseData * d, EmoFuseModel * model, guint s, gfloat *** x,
    guint dim, gboolean owned, gboolean last, const EmoFuseTrainOptions * o,
    gdouble * ccc, const gchar * what)
{
  guint A = d->n_attrs, n = d->seqs->len;
  gfloat **y = alloc_out (d, A), **nx = NULL;

  apply_stage (d, &model->stages[s], A, *x, o->causal, y);
  report_stage (d, model, s, y, ccc, what, o);
  if (!last)
    nx = extend_inputs (d, *x, dim, y, A);
  free_seqs (*x, n, owned);
  *x = nx;
  free_seqs (y, n, TRUE);
}

static gboolean
check_train_eval (const EmoFuseData * train, const EmoFuseData * eval,
    GError ** error)
{
  if (!check_data (train, "training data", error))
    return FALSE;
  if (eval && (eval->n_attrs != train->n_attrs
          || eval->n_inputs != train->n_inputs)) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "evaluation data has other inputs or attributes than the training data");
    return FALSE;
  }
  return !eval || check_data (eval, "evaluation data", error);
}

/* svr: stage after stage, each searching (K, C) per attribute on the
 * previous stages' outputs appended to the inputs. */
static gboolean
train_svr (const EmoFuseData * train, const EmoFuseData * eval,
    EmoFuseModel * model, const gchar * const *attrs,
    const EmoFuseTrainOptions * o, gdouble * stage_ccc, gdouble * eval_ccc,
    GError ** error)
{
  guint A = train->n_attrs, s;
  SvrSearch ss = { train, attrs, o, NULL, NULL, NULL, A * train->n_inputs,
    NULL
  };
  gfloat **ex = eval ? seq_inputs (eval) : NULL;
  gboolean ok = TRUE;

  ss.best_k = g_new0 (guint, A);
  ss.best_c = g_new0 (gdouble, A);
  ss.x = seq_inputs (train);
  for (s = 0; s < o->n_stages; s++) {
    gboolean last = s + 1 == o->n_stages;
    ok = svr_stage (&ss, model, s, error);
    if (!ok)
      break;
    run_stage (train, model, s, &ss.x, ss.dim, s > 0, last, o, stage_ccc,
        "train");
    if (eval)
      run_stage (eval, model, s, &ex, ss.dim, s > 0, last, o, eval_ccc, "eval");
    ss.dim += A;
  }
  /* after a failure at stage s: the inputs are views at stage 1, owned
   * later */
  if (ss.x)
    free_seqs (ss.x, train->seqs->len, s > 0);
  if (ex)
    free_seqs (ex, eval->seqs->len, s > 0);
  g_free (ss.best_k);
  g_free (ss.best_c);
  return ok;
}

EmoFuseModel *
emo_fuse_train (const EmoFuseData * train, const EmoFuseData * eval,
    const gchar * const *attrs, const gchar * const *inputs,
    const EmoFuseTrainOptions * o, gdouble * stage_ccc, gdouble * eval_ccc,
    GError ** error)
{
  EmoFuseModel *model;
  gboolean ok;

  if (!check_train_eval (train, eval, error))
    return NULL;
  model = emo_fuse_model_new (o->method, train->n_attrs, attrs,
      train->n_inputs, inputs);
  emo_fuse_model_add_record (model,
      "trained on %u sequences, %" G_GUINT64_FORMAT " frames, %u inputs",
      train->seqs->len, emo_fuse_data_frames (train), train->n_inputs);
  if (!strcmp (o->method, "mean") || !strcmp (o->method, "cccw")) {
    ok = train_smoothing (train, eval, model, o, stage_ccc, eval_ccc, error);
  } else if (strcmp (o->method, "svr")) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "unknown fusion method \"%s\" (svr, cccw, mean)", o->method);
    ok = FALSE;
  } else {
    ok = check_svr_options (o, error) && train_svr (train, eval, model, attrs,
        o, stage_ccc, eval_ccc, error);
  }
  if (!ok)
    g_clear_pointer (&model, emo_fuse_model_free);
  return model;
}

gboolean
emo_fuse_loso (const EmoFuseData * d, const gchar * const *attrs,
    const gchar * const *inputs, const EmoFuseTrainOptions * opt,
    gdouble * ccc, GError ** error)
{
  guint n = d->seqs->len, A = d->n_attrs, S = opt->n_stages, i, j, s, a;
  gfloat ***out;                /* [stage][seq] -> T x A */
  EmoFuseTrainOptions o = *opt;
  gboolean ok = TRUE;

  if (!check_data (d, "data", error))
    return FALSE;
  if (n < 3) {
    g_set_error (error, EMO_FUSE_ERROR, EMO_FUSE_ERROR_DATA,
        "leave-one-out needs at least 3 sequences, got %u", n);
    return FALSE;
  }
  if (strcmp (o.method, "svr"))
    S = 1;
  o.log = NULL;
  out = g_new0 (gfloat **, S);
  for (s = 0; s < S; s++)
    out[s] = alloc_out (d, A);
  for (i = 0; i < n && ok; i++) {
    EmoFuseData view = *d;
    EmoFuseModel *m;
    EmoFuseSeq *held = SEQ (d, i);
    guint full;

    view.seqs = g_ptr_array_new ();
    for (j = 0; j < n; j++)
      if (j != i)
        g_ptr_array_add (view.seqs, SEQ (d, j));
    m = emo_fuse_train (&view, NULL, attrs, inputs, &o, NULL, NULL, error);
    g_ptr_array_unref (view.seqs);
    if (!m) {
      g_prefix_error (error, "leaving out %s: ", held->name);
      ok = FALSE;
      break;
    }
    full = m->n_stages;
    for (s = 0; s < S && s < full; s++) {
      m->n_stages = s + 1;
      emo_fuse_model_apply (m, o.causal, held->x, held->T, out[s][i]);
    }
    m->n_stages = full;
    emo_fuse_model_free (m);
    if (opt->log) {
      gchar *msg =
          g_strdup_printf ("  left out %s (%u/%u)", held->name, i + 1, n);
      opt->log (msg, opt->log_data);
      g_free (msg);
    }
  }
  for (s = 0; s < S; s++) {
    if (ok && ccc)
      for (a = 0; a < A; a++)
        ccc[s * A + a] = emo_fuse_score (d, out[s], a);
    free_seqs (out[s], n, TRUE);
  }
  g_free (out);
  return ok;
}
