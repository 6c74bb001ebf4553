/* gst-emo — eGeMAPS v02 feature sets over a trailing window every hop.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "dsp/emo-audiofeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LLD_DT 0.01f            /* seconds per LLD frame */
#define PEAK_HYSTERESIS 0.1f    /* loudness peaks: rise and fall by 10% of the range */

/* ---- names ---- */

static const gchar *func10[] = {
  "amean", "stddevNorm", "percentile20.0", "percentile50.0", "percentile80.0",
  "pctlrange0-2", "meanRisingSlope", "stddevRisingSlope", "meanFallingSlope",
  "stddevFallingSlope",
};

/* LLDs summarised by amean + stddevNorm, in openSMILE's output order */
static const gchar *meancv_names[] = {
  "spectralFlux_sma3", "mfcc1_sma3", "mfcc2_sma3", "mfcc3_sma3", "mfcc4_sma3",
  "jitterLocal_sma3nz", "shimmerLocaldB_sma3nz", "HNRdBACF_sma3nz",
  "logRelF0-H1-H2_sma3nz", "logRelF0-H1-A3_sma3nz",
  "F1frequency_sma3nz", "F1bandwidth_sma3nz", "F1amplitudeLogRelF0_sma3nz",
  "F2frequency_sma3nz", "F2bandwidth_sma3nz", "F2amplitudeLogRelF0_sma3nz",
  "F3frequency_sma3nz", "F3bandwidth_sma3nz", "F3amplitudeLogRelF0_sma3nz",
  "alphaRatioV_sma3nz", "hammarbergIndexV_sma3nz", "slopeV0-500_sma3nz",
  "slopeV500-1500_sma3nz", "spectralFluxV_sma3nz", "mfcc1V_sma3nz",
  "mfcc2V_sma3nz", "mfcc3V_sma3nz", "mfcc4V_sma3nz",
};

/* which LLD each of meancv_names is, and whether voiced frames only */
static const guint meancv_lld[] = {
  EMO_LLD_SPECTRAL_FLUX, EMO_LLD_MFCC1, EMO_LLD_MFCC2, EMO_LLD_MFCC3,
  EMO_LLD_MFCC4,
  EMO_LLD_JITTER, EMO_LLD_SHIMMER_DB, EMO_LLD_HNR_DB, EMO_LLD_H1_H2,
  EMO_LLD_H1_A3,
  EMO_LLD_F1_FREQ, EMO_LLD_F1_BW, EMO_LLD_F1_AMP, EMO_LLD_F2_FREQ,
  EMO_LLD_F2_BW,
  EMO_LLD_F2_AMP, EMO_LLD_F3_FREQ, EMO_LLD_F3_BW, EMO_LLD_F3_AMP,
  EMO_LLD_ALPHA_RATIO, EMO_LLD_HAMMARBERG, EMO_LLD_SLOPE_0_500,
  EMO_LLD_SLOPE_500_1500,
  EMO_LLD_SPECTRAL_FLUX, EMO_LLD_MFCC1, EMO_LLD_MFCC2, EMO_LLD_MFCC3,
  EMO_LLD_MFCC4,
};

#define MEANCV_FIRST_V 19       /* from here: spectral LLDs in voiced frames */

static const gchar *uv_names[] = {
  "alphaRatioUV_sma3nz_amean", "hammarbergIndexUV_sma3nz_amean",
  "slopeUV0-500_sma3nz_amean", "slopeUV500-1500_sma3nz_amean",
  "spectralFluxUV_sma3nz_amean",
};

static const guint uv_lld[] = {
  EMO_LLD_ALPHA_RATIO, EMO_LLD_HAMMARBERG, EMO_LLD_SLOPE_0_500,
  EMO_LLD_SLOPE_500_1500, EMO_LLD_SPECTRAL_FLUX,
};

static const gchar *tail_names[] = {
  "loudnessPeaksPerSec", "VoicedSegmentsPerSec", "MeanVoicedSegmentLengthSec",
  "StddevVoicedSegmentLengthSec", "MeanUnvoicedSegmentLength",
  "StddevUnvoicedSegmentLength", "equivalentSoundLevel_dBp",
};

G_STATIC_ASSERT (20 + 2 * G_N_ELEMENTS (meancv_names) +
    G_N_ELEMENTS (uv_names) + G_N_ELEMENTS (tail_names) ==
    EMO_EGEMAPS_N_FUNCTIONALS);
G_STATIC_ASSERT (G_N_ELEMENTS (meancv_names) == G_N_ELEMENTS (meancv_lld));

static gchar *func_names[EMO_EGEMAPS_N_FUNCTIONALS];
static gchar *meanstd_names[2 * EMO_LLD_N];

static void
init_names (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    guint i, n = 0;
    for (i = 0; i < 10; i++)
      func_names[n++] =
          g_strdup_printf ("F0semitoneFrom27.5Hz_sma3nz_%s", func10[i]);
    for (i = 0; i < 10; i++)
      func_names[n++] = g_strdup_printf ("loudness_sma3_%s", func10[i]);
    for (i = 0; i < G_N_ELEMENTS (meancv_names); i++) {
      func_names[n++] = g_strdup_printf ("%s_amean", meancv_names[i]);
      func_names[n++] = g_strdup_printf ("%s_stddevNorm", meancv_names[i]);
    }
    for (i = 0; i < G_N_ELEMENTS (uv_names); i++)
      func_names[n++] = g_strdup (uv_names[i]);
    for (i = 0; i < G_N_ELEMENTS (tail_names); i++)
      func_names[n++] = g_strdup (tail_names[i]);
    g_assert (n == EMO_EGEMAPS_N_FUNCTIONALS);
    for (i = 0; i < EMO_LLD_N; i++) {
      meanstd_names[2 * i] = g_strdup_printf ("%s_amean", emo_lld_name (i));
      meanstd_names[2 * i + 1] =
          g_strdup_printf ("%s_stddev", emo_lld_name (i));
    }
    g_once_init_leave (&done, 1);
  }
}

static const gchar *set_nicks[] =
    { "egemaps-functionals", "egemaps-lld-meanstd", "egemaps-lld",
  "emo-acoustic-v1-functionals", "emo-acoustic-v1-lld-meanstd",
  "emo-acoustic-v1-lld"
};

static const gchar *set_layouts[] =
    { "egemaps-v02-func", "egemaps-v02-lld-meanstd", "egemaps-v02-lld",
  "emo-acoustic-v1-func", "emo-acoustic-v1-lld-meanstd", "emo-acoustic-v1-lld"
};

G_STATIC_ASSERT (G_N_ELEMENTS (set_nicks) == EMO_FEATURE_SET_N);
G_STATIC_ASSERT (G_N_ELEMENTS (set_layouts) == EMO_FEATURE_SET_N);

const gchar *
emo_feature_set_nick (EmoFeatureSet set)
{
  return (guint) set < G_N_ELEMENTS (set_nicks) ? set_nicks[set] : NULL;
}

gboolean
emo_feature_set_from_nick (const gchar * nick, EmoFeatureSet * set)
{
  guint i;

  for (i = 0; nick && i < G_N_ELEMENTS (set_nicks); i++) {
    if (!g_strcmp0 (nick, set_nicks[i]) || !g_strcmp0 (nick, set_layouts[i])) {
      *set = (EmoFeatureSet) i;
      return TRUE;
    }
  }
  return FALSE;
}

const gchar *
emo_feature_set_layout (EmoFeatureSet set)
{
  return (guint) set < G_N_ELEMENTS (set_layouts) ? set_layouts[set] : NULL;
}

guint
emo_feature_set_dims (EmoFeatureSet set)
{
  if ((guint) set >= EMO_FEATURE_SET_N)
    return 0;
  switch (EMO_FEATURE_SET_BASE (set)) {
    case EMO_FEATURE_SET_FUNCTIONALS:
      return EMO_EGEMAPS_N_FUNCTIONALS;
    case EMO_FEATURE_SET_LLD_MEANSTD:
      return 2 * EMO_LLD_N;
    case EMO_FEATURE_SET_LLD:
      return EMO_LLD_N;
    default:
      break;
  }
  return 0;
}

const gchar *
emo_feature_set_name (EmoFeatureSet set, guint i)
{
  init_names ();
  if (i >= emo_feature_set_dims (set))
    return NULL;
  switch (EMO_FEATURE_SET_BASE (set)) {
    case EMO_FEATURE_SET_FUNCTIONALS:
      return func_names[i];
    case EMO_FEATURE_SET_LLD_MEANSTD:
      return meanstd_names[i];
    case EMO_FEATURE_SET_LLD:
      return emo_lld_name (i);
    default:
      break;
  }
  return NULL;
}

/* ---- statistics ---- */

static void
mean_std (const gfloat * x, guint n, gfloat * mean, gfloat * std)
{
  gdouble s = 0, ss = 0, m;
  guint i;

  if (n == 0) {
    *mean = *std = 0;
    return;
  }
  for (i = 0; i < n; i++)
    s += x[i];
  m = s / n;
  for (i = 0; i < n; i++)
    ss += (x[i] - m) * (x[i] - m);
  *mean = (gfloat) m;
  *std = (gfloat) sqrt (ss / n);
}

static gfloat
std_norm (gfloat mean, gfloat std)
{
  return fabsf (mean) > 1e-12f ? std / fabsf (mean) : 0.0f;
}

/* k-th smallest of a[0..n) (Wirth's selection; reorders a). */
static gfloat
select_kth (gfloat * a, guint n, guint k)
{
  gint l = 0, m = (gint) n - 1;

  while (l < m) {
    gfloat x = a[k];
    gint i = l, j = m;
    do {
      while (a[i] < x)
        i++;
      while (x < a[j])
        j--;
      if (i <= j) {
        gfloat t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < (gint) k)
      l = i;
    if ((gint) k < i)
      m = j;
  }
  return a[k];
}

/* Percentile with linear interpolation between order statistics. */
static gfloat
percentile (gfloat * a, guint n, gfloat p)
{
  gfloat pos, fr, lo, hi;
  guint i, j;

  if (n == 0)
    return 0;
  pos = p * (n - 1);
  i = (guint) pos;
  fr = pos - i;
  lo = select_kth (a, n, i);
  if (i + 1 >= n || fr == 0)
    return lo;
  /* after selection everything above index i is >= a[i] */
  hi = a[i + 1];
  for (j = i + 2; j < n; j++)
    hi = MIN (hi, a[j]);
  return lo * (1 - fr) + hi * fr;
}

/* Percentile @p < @q when the array was already partitioned by the
 * selection of percentile @q: only the part below q's lower index is
 * searched (the upper neighbour may be q's element itself). */
static gfloat
percentile_below (gfloat * a, guint n, gfloat p, gfloat q)
{
  guint iq, i, j;
  gfloat pos, fr, lo, hi;

  if (n == 0)
    return 0;
  iq = (guint) (q * (n - 1));
  pos = p * (n - 1);
  i = (guint) pos;
  fr = pos - i;
  if (i >= iq)
    return percentile (a, n, p);
  lo = select_kth (a, iq, i);
  if (fr == 0)
    return lo;
  hi = a[iq];
  for (j = i + 1; j < iq; j++)
    hi = MIN (hi, a[j]);
  return lo * (1 - fr) + hi * fr;
}

static gfloat os_std_norm (gfloat mean, gfloat std);

/* The six level functionals of a contour: mean, stddevNorm (openSMILE's
 * signed one, or the first variant's std / |mean|), 20th, 50th and 80th
 * percentile and the 20-80 range. */
static void
level_functionals (const gfloat * x, guint n, gboolean os, gfloat * out,
    gfloat * sorted)
{
  gfloat mean, std, p20, p80;

  mean_std (x, n, &mean, &std);
  out[0] = mean;
  out[1] = os ? os_std_norm (mean, std) : std_norm (mean, std);
  memcpy (sorted, x, n * sizeof (gfloat));
  /* median first: it splits the array, so the other two search halves */
  out[3] = percentile (sorted, n, 0.5f);
  p20 = percentile_below (sorted, n, 0.2f, 0.5f);
  p80 = percentile (sorted, n, 0.8f);
  out[2] = p20;
  out[4] = p80;
  out[5] = p80 - p20;
}

/* The 10 F0/loudness functionals of a contour (values at LLD_DT spacing). */
static void
contour_functionals (const gfloat * x, guint n, gfloat * out, gfloat * sorted)
{
  gdouble rs = 0, rss = 0, fs = 0, fss = 0;
  guint nr = 0, nf = 0, i, last = 0;
  gint last_kind = 0;           /* +1 max, -1 min */

  level_functionals (x, n, FALSE, out, sorted);
  /* slopes between successive local extrema: valley->peak rising,
   * peak->valley falling (both reported as positive values per second) */
  for (i = 1; i + 1 < n; i++) {
    gint kind = 0;
    if (x[i] > x[i - 1] && x[i] >= x[i + 1])
      kind = 1;
    else if (x[i] < x[i - 1] && x[i] <= x[i + 1])
      kind = -1;
    if (!kind)
      continue;
    if (last_kind && kind != last_kind) {
      gdouble sl = fabs (x[i] - x[last]) / ((i - last) * LLD_DT);
      if (kind > 0) {
        rs += sl;
        rss += sl * sl;
        nr++;
      } else {
        fs += sl;
        fss += sl * sl;
        nf++;
      }
    }
    last_kind = kind;
    last = i;
  }
  out[6] = nr ? (gfloat) (rs / nr) : 0;
  out[7] = nr ? (gfloat) sqrt (MAX (rss / nr - (rs / nr) * (rs / nr), 0)) : 0;
  out[8] = nf ? (gfloat) (fs / nf) : 0;
  out[9] = nf ? (gfloat) sqrt (MAX (fss / nf - (fs / nf) * (fs / nf), 0)) : 0;
}

/* selection: 0 all frames, 1 voiced frames with a non-zero value, 2 unvoiced frames */
static guint
collect (const EmoLldFrame * f, guint n, guint lld, gint sel, gfloat * out)
{
  guint i, m = 0;

  for (i = 0; i < n; i++) {
    if (sel == 1 && (!f[i].voiced || f[i].v[lld] == 0))
      continue;
    if (sel == 2 && f[i].voiced)
      continue;
    out[m++] = f[i].v[lld];
  }
  return m;
}

static void
segments (const EmoLldFrame * f, guint n, gboolean voiced, guint * count,
    gfloat * mean, gfloat * std, gfloat * scratch)
{
  guint i, run = 0, m = 0;

  for (i = 0; i <= n; i++) {
    if (i < n && (f[i].voiced != 0) == voiced) {
      run++;
    } else if (run) {
      scratch[m++] = run * LLD_DT;
      run = 0;
    }
  }
  *count = m;
  mean_std (scratch, m, mean, std);
}

static guint
loudness_peaks (const gfloat * x, guint n)
{
  gfloat mn = G_MAXFLOAT, mx = -G_MAXFLOAT, thr, lo, hi = 0;
  gboolean armed = FALSE;
  guint i, peaks = 0;

  for (i = 0; i < n; i++) {
    mn = MIN (mn, x[i]);
    mx = MAX (mx, x[i]);
  }
  thr = PEAK_HYSTERESIS * (mx - mn);
  if (n < 3 || !(thr > 0))
    return 0;
  lo = x[0];
  for (i = 1; i < n; i++) {
    if (!armed) {
      lo = MIN (lo, x[i]);
      if (x[i] - lo >= thr) {
        armed = TRUE;
        hi = x[i];
      }
    } else {
      hi = MAX (hi, x[i]);
      if (hi - x[i] >= thr) {
        peaks++;
        armed = FALSE;
        lo = x[i];
      }
    }
  }
  return peaks + (armed ? 1 : 0);
}

/* Sums for mean/std of every LLD in one pass: over all frames, voiced
 * frames, unvoiced frames; voiced-only LLDs over voiced frames with a
 * non-zero value. */
typedef struct
{
  gdouble s_all[EMO_LLD_N], q_all[EMO_LLD_N];
  gdouble s_v[EMO_LLD_N], q_v[EMO_LLD_N];
  gdouble s_u[EMO_LLD_N], q_u[EMO_LLD_N];
  guint n_nz[EMO_LLD_N];
  guint n, n_v, n_u;
} Moments;

static void
moments (const EmoLldFrame * f, guint n, Moments * m)
{
  guint i, l;

  memset (m, 0, sizeof (*m));
  m->n = n;
  for (i = 0; i < n; i++) {
    const gfloat *v = f[i].v;
    if (f[i].voiced) {
      m->n_v++;
      for (l = 0; l < EMO_LLD_FIRST_NZ; l++) {
        m->s_v[l] += v[l];
        m->q_v[l] += (gdouble) v[l] * v[l];
      }
      for (; l < EMO_LLD_N; l++) {
        if (v[l] != 0) {
          m->s_v[l] += v[l];
          m->q_v[l] += (gdouble) v[l] * v[l];
          m->n_nz[l]++;
        }
      }
    } else {
      m->n_u++;
      for (l = 0; l < EMO_LLD_FIRST_NZ; l++) {
        m->s_u[l] += v[l];
        m->q_u[l] += (gdouble) v[l] * v[l];
      }
    }
  }
  for (l = 0; l < EMO_LLD_FIRST_NZ; l++) {
    m->s_all[l] = m->s_v[l] + m->s_u[l];
    m->q_all[l] = m->q_v[l] + m->q_u[l];
  }
}

static void
from_sums (gdouble s, gdouble q, guint n, gfloat * mean, gfloat * std)
{
  gdouble mu;

  if (n == 0) {
    *mean = *std = 0;
    return;
  }
  mu = s / n;
  *mean = (gfloat) mu;
  *std = (gfloat) sqrt (MAX (q / n - mu * mu, 0.0));
}

/* mean/std of LLD @l as the eGeMAPS definition selects its frames:
 * sel 0 all frames, 1 voiced (non-zero for voiced-only LLDs), 2 unvoiced */
static void
lld_stat (const Moments * m, guint l, gint sel, gfloat * mean, gfloat * std)
{
  if (l >= EMO_LLD_FIRST_NZ)
    from_sums (m->s_v[l], m->q_v[l], m->n_nz[l], mean, std);
  else if (sel == 0)
    from_sums (m->s_all[l], m->q_all[l], m->n, mean, std);
  else if (sel == 1)
    from_sums (m->s_v[l], m->q_v[l], m->n_v, mean, std);
  else
    from_sums (m->s_u[l], m->q_u[l], m->n_u, mean, std);
}

void
emo_egemaps_functionals (const EmoLldFrame * f, guint n, gfloat * out,
    gfloat * scratch)
{
  gfloat *a = scratch, *b = scratch + n;
  gfloat mean, std, dur = MAX (n, 1) * LLD_DT;
  gdouble e = 0;
  guint i, m, o = 0, cnt;
  Moments mo;

  moments (f, n, &mo);
  m = collect (f, n, EMO_LLD_F0_SEMITONE, 1, a);
  contour_functionals (a, m, out + o, b);
  o += 10;
  m = collect (f, n, EMO_LLD_LOUDNESS, 0, a);
  contour_functionals (a, m, out + o, b);
  o += 10;
  {
    gfloat peaks = (gfloat) loudness_peaks (a, m) / dur;
    for (i = 0; i < G_N_ELEMENTS (meancv_lld); i++) {
      lld_stat (&mo, meancv_lld[i], i >= MEANCV_FIRST_V ? 1 : 0, &mean, &std);
      out[o++] = mean;
      out[o++] = std_norm (mean, std);
    }
    for (i = 0; i < G_N_ELEMENTS (uv_lld); i++) {
      lld_stat (&mo, uv_lld[i], 2, &mean, &std);
      out[o++] = mean;
    }
    out[o++] = peaks;
  }
  segments (f, n, TRUE, &cnt, &mean, &std, a);
  out[o++] = cnt / dur;
  out[o++] = mean;
  out[o++] = std;
  segments (f, n, FALSE, &cnt, &mean, &std, a);
  out[o++] = mean;
  out[o++] = std;
  for (i = 0; i < n; i++)
    e += f[i].energy;
  out[o++] = (gfloat) (10.0 * log10 (e / MAX (n, 1) + 1e-12));
  g_assert (o == EMO_EGEMAPS_N_FUNCTIONALS);
  for (i = 0; i < o; i++)
    if (!isfinite (out[i]))
      out[i] = 0;
}

/* ---- openSMILE's definitions (eGeMAPSv02 functionals) ---- */

/* stddevNorm as openSMILE computes it: std / mean with the mean's sign;
 * 0 when the variance is 0; std itself when the mean is exactly 0. */
static gfloat
os_std_norm (gfloat mean, gfloat std)
{
  if (!(std > 0))
    return 0;
  return mean != 0 ? std / mean : std;
}

typedef struct
{
  gint32 *next, *prev, *x;
  gint8 *type;                  /* 1 max, 0 min */
  gfloat *y;
  gint first, last;
} PeakList;

static void
pl_remove (PeakList * l, gint e)
{
  if (l->prev[e] >= 0)
    l->next[l->prev[e]] = l->next[e];
  else
    l->first = l->next[e];
  if (l->next[e] >= 0)
    l->prev[l->next[e]] = l->prev[e];
  else
    l->last = l->prev[e];
}

/* Peaks2, step 1: the local extrema of frames 2..n-3, in order. */
static void
peaks_find (const gfloat * in, guint n, PeakList * l)
{
  guint i;

  l->first = l->last = -1;
  for (i = 2; i + 2 < n; i++) {
    gint8 t;
    gint e = (gint) i;
    if (in[i] > in[i - 1] && in[i] > in[i + 1])
      t = 1;
    else if (in[i] < in[i - 1] && in[i] < in[i + 1])
      t = 0;
    else
      continue;
    l->type[e] = t;
    l->x[e] = (gint32) i;
    l->y[e] = in[i];
    l->next[e] = -1;
    l->prev[e] = l->last;
    if (l->last >= 0)
      l->next[l->last] = e;
    else
      l->first = e;
    l->last = e;
  }
}

/* Peaks2, pass 1: small rises and falls. */
static void
peaks_prune_small (PeakList * l, gfloat first, gfloat thr)
{
  gfloat last_val = first, last_min = first, last_max = first;
  gint e, nxt, last_max_e = -1, min_flag = 0;

  for (e = l->first; e >= 0; e = nxt) {
    nxt = l->next[e];
    if (l->type[e] == 0) {
      if (!(fabsf (l->y[e] - last_val) < thr)) {
        min_flag = 1;
        last_min = l->y[e];
      }
    } else if (!(fabsf (l->y[e] - last_val) < thr)) {
      min_flag = 0;
      last_max = l->y[e];
      last_max_e = e;
    } else if (l->y[e] - last_min < thr) {
      pl_remove (l, e);
    } else if (l->y[e] > last_max * 1.05f) {
      if (last_max_e >= 0)
        pl_remove (l, last_max_e);
      last_max = l->y[e];
      last_max_e = e;
      min_flag = 0;
    } else if (min_flag) {
      last_max = l->y[e];
      last_max_e = e;
      min_flag = 0;
    } else {
      pl_remove (l, e);
    }
    last_val = l->y[e];
  }
}

/* Peaks2, pass 2: minima too close below the last maximum. */
static void
peaks_prune_shallow (PeakList * l, gfloat first, gfloat thr)
{
  gfloat last_max = first;
  gint e, nxt;

  for (e = l->first; e >= 0; e = nxt) {
    nxt = l->next[e];
    if (l->type[e] != 0)
      last_max = l->y[e];
    else if (last_max - l->y[e] < thr)
      pl_remove (l, e);
  }
}

/* Peaks2, pass 3: alternate, keeping the lowest of successive minima and
 * the highest of successive maxima. */
static void
peaks_alternate (PeakList * l)
{
  gfloat last_min = 0, last_max = 0;
  gint e, nxt, last_min_e = -1, last_max_e = -1, min_flag = 0, init = 1;

  for (e = l->first; e >= 0; e = nxt) {
    gboolean is_min = l->type[e] == 0;
    gfloat *last = is_min ? &last_min : &last_max;
    gint *last_e = is_min ? &last_min_e : &last_max_e;
    nxt = l->next[e];
    if ((is_min ? !min_flag : min_flag) || init) {
      *last = l->y[e];
      *last_e = e;
      min_flag = is_min;
      init = 0;
    } else if (is_min ? l->y[e] >= *last : l->y[e] <= *last) {
      pl_remove (l, e);
    } else if (*last_e != e) {
      pl_remove (l, *last_e);
      *last_e = e;
      *last = l->y[e];
    }
  }
}

/* Peaks2: rising (slopes[0]) and falling (slopes[2]) mean slope between
 * successive extrema, with openSMILE's end-of-contour slope; the number of
 * maxima is returned. */
static guint
peaks_mean_slopes (const PeakList * l, const gfloat * in, guint n, gfloat T,
    gfloat * slopes, gint * counts)
{
  gfloat last_max = in[0], last_min = in[0], mr = 0, mf = 0;
  glong lmaxp = 0, lminp = 0;
  gint e, nr = 0, nf = 0, last_is_max = -1;
  guint np = 0;

  for (e = l->first; e >= 0; e = l->next[e]) {
    if (l->type[e] == 0) {
      last_min = l->y[e];
      lminp = l->x[e];
      if (lminp - lmaxp > 0) {
        mf += (last_max - last_min) / ((lminp - lmaxp) * T);
        nf++;
        last_is_max = 0;
      }
    } else {
      np++;
      last_max = l->y[e];
      lmaxp = l->x[e];
      if (lmaxp - lminp > 0) {
        mr += (last_max - last_min) / ((lmaxp - lminp) * T);
        nr++;
        last_is_max = 1;
      }
    }
  }
  if (last_is_max == 1 && (glong) n - 1 - lmaxp > 0) {
    mf += (in[n - 1] - last_max) / (((glong) n - 1 - lmaxp) * T);
    nf++;
  } else if (last_is_max == 0 && (glong) n - 1 - lminp > 0) {
    mr += (in[n - 1] - last_min) / (((glong) n - 1 - lminp) * T);
    nr++;
  } else if (last_is_max == -1) {
    /* no extremum at all: openSMILE divides by the frame count, not time */
    gfloat sl = (in[n - 1] - in[0]) / n;
    if (sl > 0) {
      mr = sl;
      nr = 1;
    } else if (sl < 0) {
      mf = sl;
      nf = 1;
    }
  }
  slopes[0] = nr > 1 ? mr / nr : mr;
  slopes[2] = nf > 1 ? mf / nf : mf;
  counts[0] = nr;
  counts[1] = nf;
  return np;
}

/* Peaks2: standard deviations of the rising (slopes[1]) and falling
 * (slopes[3]) slopes around the means, with openSMILE's different test for
 * a rising slope in this pass. */
static void
peaks_std_slopes (const PeakList * l, const gfloat * in, gfloat T,
    gfloat * slopes, const gint * counts)
{
  gfloat last_max = in[0], last_min = in[0], sr = 0, sf = 0;
  glong lmaxp = 0, lminp = 0;
  gint e;

  for (e = l->first; e >= 0; e = l->next[e]) {
    if (l->type[e] == 0) {
      last_min = l->y[e];
      lminp = l->x[e];
      if (lminp - lmaxp > 0) {
        gfloat sl = (last_max - last_min) / ((lminp - lmaxp) * T);
        sf += (sl - slopes[2]) * (sl - slopes[2]);
      }
    } else {
      last_max = l->y[e];
      lmaxp = l->x[e];
      if (lmaxp - lminp != 0) {
        gfloat sl = (last_max - last_min) / ((lmaxp - lminp) * T);
        sr += (sl - slopes[0]) * (sl - slopes[0]);
      }
    }
  }
  if (counts[0] > 1)
    sr /= counts[0];
  if (counts[1] > 1)
    sf /= counts[1];
  slopes[1] = sr > 0 ? sqrtf (sr) : 0;
  slopes[3] = sf > 0 ? sqrtf (sf) : 0;
}

/* openSMILE's Peaks2 functional: local extrema (frames 2..n-3), three
 * pruning passes with a threshold of 10 % of the contour's range, then the
 * number of maxima and the rising / falling slopes between successive
 * extrema (per second, @T seconds per frame), including its end-of-contour
 * slope and its different test in the standard deviation pass. */
static void
os_peaks2 (const gfloat * in, guint n, gfloat T, PeakList * l, guint * n_peaks,
    gfloat * slopes)
{
  gfloat mn, mx, thr;
  gint counts[2];
  guint i;

  *n_peaks = 0;
  memset (slopes, 0, 4 * sizeof (gfloat));
  if (n == 0)
    return;
  mn = mx = in[0];
  for (i = 1; i < n; i++) {
    mn = MIN (mn, in[i]);
    mx = MAX (mx, in[i]);
  }
  thr = 0.1f * (mx - mn);
  peaks_find (in, n, l);
  peaks_prune_small (l, in[0], thr);
  peaks_prune_shallow (l, in[0], thr);
  peaks_alternate (l);
  *n_peaks = peaks_mean_slopes (l, in, n, T, slopes, counts);
  peaks_std_slopes (l, in, T, slopes, counts);
}

/* openSMILE's Segments functional, nonX / eqX with X = 0 (its defaults:
 * a segment needs 3 frames, a pause 2; a one-frame gap does not end it;
 * its length is counted one frame short). Lengths in frames into @len. */
static guint
os_segments (const gfloat * in, guint n, gboolean nonzero, gfloat * len)
{
  gint state = 0, seg_start = 0, seg_end = 0;
  glong start = 0, i;
  guint ns = 0;

  for (i = 0; i < (glong) n; i++) {
    gboolean hit = nonzero ? in[i] != 0 : in[i] == 0;
    if (hit) {
      if (state == 1) {
        seg_end = 0;
        if (++seg_start >= 3) {
          seg_start = 0;
          state = 2;
        }
      } else if (state == 0) {
        seg_start++;
        start = i;
        state = 1;
      } else {
        seg_end = 0;
      }
    } else if (state == 2) {
      seg_start = 0;
      if (++seg_end >= 2) {
        state = 0;
        len[ns++] = (gfloat) (i - seg_end - start);
        seg_end = 0;
      }
    } else if (state == 1) {
      if (++seg_end >= 2) {
        state = 0;
        seg_end = seg_start = 0;
      }
    }
  }
  if (state == 2) {
    seg_end++;
    len[ns++] = (gfloat) (i - seg_end - start);
  }
  return ns;
}

/* the 10 F0 / loudness functionals of openSMILE over contour x */
static void
os_contour10 (const gfloat * x, guint n, gfloat T, gfloat * out,
    gfloat * sorted, PeakList * pl)
{
  guint np;

  level_functionals (x, n, TRUE, out, sorted);
  os_peaks2 (x, n, T, pl, &np, out + 6);
}

static guint
collect_nz (const gfloat * v, gsize stride, guint n, gfloat * out)
{
  guint i, m = 0;

  for (i = 0; i < n; i++) {
    gfloat x = v[i * stride];
    if (x != 0)
      out[m++] = x;
  }
  return m;
}

#define FRAME_STRIDE (sizeof (EmoLldFrame) / sizeof (gfloat))

void
emo_egemaps_functionals_os (const EmoLldFrame * f, guint n, gfloat T,
    gfloat * out, gfloat * scratch)
{
  gfloat *a = scratch, *b = scratch + n + 1;
  PeakList pl;
  gfloat mean, std, sl[4];
  gdouble e = 0;
  guint i, m, o = 0, np, ns;

  G_STATIC_ASSERT (sizeof (EmoLldFrame) % sizeof (gfloat) == 0);
  G_STATIC_ASSERT (sizeof (gint32) == sizeof (gfloat));
  /* the peak list lives in the scratch too: 3 int arrays, y, type */
  pl.next = (gint32 *) (scratch + 2 * (n + 1));
  pl.prev = (gint32 *) (scratch + 3 * (n + 1));
  pl.x = (gint32 *) (scratch + 4 * (n + 1));
  pl.y = scratch + 5 * (n + 1);
  pl.type = (gint8 *) (scratch + 6 * (n + 1));
  m = collect_nz (&f[0].v[EMO_LLD_F0_SEMITONE], FRAME_STRIDE, n, a);
  os_contour10 (a, m, T, out + o, b, &pl);
  o += 10;
  for (i = 0; i < n; i++)
    a[i] = f[i].v[EMO_LLD_LOUDNESS];
  os_contour10 (a, n, T, out + o, b, &pl);
  o += 10;
  os_peaks2 (a, n, T, &pl, &np, sl);
  for (i = 0; i < G_N_ELEMENTS (meancv_lld); i++) {
    guint l = meancv_lld[i];
    if (i >= MEANCV_FIRST_V)
      m = collect_nz (&f[0].sv[i - MEANCV_FIRST_V], FRAME_STRIDE, n, a);
    else if (l >= EMO_LLD_FIRST_NZ)
      m = collect_nz (&f[0].v[l], FRAME_STRIDE, n, a);
    else
      for (m = 0; m < n; m++)
        a[m] = f[m].v[l];
    mean_std (a, m, &mean, &std);
    out[o++] = mean;
    out[o++] = os_std_norm (mean, std);
  }
  for (i = 0; i < G_N_ELEMENTS (uv_lld); i++) {
    m = collect_nz (&f[0].su[i], FRAME_STRIDE, n, a);
    mean_std (a, m, &mean, &std);
    out[o++] = mean;
  }
  out[o++] = n ? np / (n * T) : 0;
  for (i = 0; i < n; i++)
    a[i] = f[i].v[EMO_LLD_F0_SEMITONE];
  ns = os_segments (a, n, TRUE, b);
  mean_std (b, ns, &mean, &std);
  out[o++] = n ? ns / (n * T) : 0;
  out[o++] = mean * T;
  out[o++] = ns > 1 ? std * T : 0;
  ns = os_segments (a, n, FALSE, b);
  mean_std (b, ns, &mean, &std);
  out[o++] = mean * T;
  out[o++] = ns > 1 ? std * T : 0;
  for (i = 0; i < n; i++)
    e += f[i].energy;
  e = n ? e / n : 0;
  out[o++] = (gfloat) (10.0 * log10 (e > 1e-12 ? e : 1e-12));
  g_assert (o == EMO_EGEMAPS_N_FUNCTIONALS);
  for (i = 0; i < o; i++)
    if (!isfinite (out[i]))
      out[i] = 0;
}

/* ---- streaming over a trailing window ---- */

struct _EmoAudioFeat
{
  EmoEgemapsLld *lld;
  EmoFeatureSet set;
  gboolean os;                  /* openSMILE definitions */
  gfloat period;                /* seconds per LLD frame */
  guint win_f, hop_f, dims;
  EmoLldFrame *ring;
  guint64 n_lld;
  gfloat *scratch, *out;
  EmoAudioFeatFunc func;
  gpointer user_data;
};

EmoAudioFeat *
emo_audio_feat_new (guint rate, EmoFeatureSet set, guint window_ms,
    guint hop_ms, GError ** error)
{
  return emo_audio_feat_new_full (rate, set, window_ms, hop_ms,
      EMO_LLD_OPENSMILE_LAG, error);
}

EmoAudioFeat *
emo_audio_feat_new_full (guint rate, EmoFeatureSet set, guint window_ms,
    guint hop_ms, guint pitch_lag, GError ** error)
{
  EmoAudioFeat *af;
  EmoEgemapsLld *lld;

  if (!emo_feature_set_dims (set)) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "unknown feature set %d", set);
    return NULL;
  }
  if (hop_ms < 10 || hop_ms % 10 || window_ms % 10 || window_ms < hop_ms ||
      window_ms > 600000) {
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
        "window (%u ms) and hop (%u ms) must be multiples of 10 ms, window >= hop, window <= 600 s",
        window_ms, hop_ms);
    return NULL;
  }
  lld = emo_egemaps_lld_new_full (rate, EMO_FEATURE_SET_VARIANT (set),
      pitch_lag, error);
  if (!lld)
    return NULL;
  init_names ();
  af = g_new0 (EmoAudioFeat, 1);
  af->lld = lld;
  af->set = set;
  af->os = EMO_FEATURE_SET_VARIANT (set) == EMO_LLD_OPENSMILE;
  /* openSMILE times its functionals with its frame step (221 samples at
   * 22.05 kHz is 10.02 ms) */
  af->period = af->os ? (gfloat) emo_egemaps_lld_hop (lld) / rate : LLD_DT;
  af->win_f = window_ms / 10;
  af->hop_f = hop_ms / 10;
  af->dims = emo_feature_set_dims (set);
  /* every frame is stored twice so that any window is contiguous */
  af->ring = g_new0 (EmoLldFrame, 2 * af->win_f);
  af->scratch = g_new0 (gfloat, 7 * (af->win_f + 1));
  af->out = g_new0 (gfloat, af->dims);
  return af;
}

void
emo_audio_feat_free (EmoAudioFeat * af)
{
  if (!af)
    return;
  emo_egemaps_lld_free (af->lld);
  g_free (af->ring);
  g_free (af->scratch);
  g_free (af->out);
  g_free (af);
}

void
emo_audio_feat_reset (EmoAudioFeat * af)
{
  emo_egemaps_lld_reset (af->lld);
  af->n_lld = 0;
}

guint
emo_audio_feat_dims (const EmoAudioFeat * af)
{
  return af->dims;
}

guint64
emo_audio_feat_frames_for (const EmoAudioFeat * af, guint64 n_samples)
{
  guint64 n_lld = emo_egemaps_lld_frames_for (af->lld, n_samples);

  /* every hop in which an LLD frame starts (openSMILE's variant has no
   * frame for the last 40-50 ms of a stream, nor for one under 50 ms) */
  return (n_lld + af->hop_f - 1) / af->hop_f;
}

guint
emo_audio_feat_lookahead_samples (const EmoAudioFeat * af)
{
  return emo_egemaps_lld_lookahead (af->lld);
}

static void
emit (EmoAudioFeat * af, guint64 k, guint64 end)
{
  guint64 start =
      (k + 1) * af->hop_f > af->win_f ? (k + 1) * af->hop_f - af->win_f : 0;
  guint n = end > start ? (guint) (end - start) : 0, i, v = 0, j;
  const EmoLldFrame *f = af->ring + start % af->win_f;

  for (i = 0; i < n; i++)
    v += f[i].voiced ? 1 : 0;
  switch (EMO_FEATURE_SET_BASE (af->set)) {
    case EMO_FEATURE_SET_FUNCTIONALS:
      if (af->os)
        emo_egemaps_functionals_os (f, n, af->period, af->out, af->scratch);
      else
        emo_egemaps_functionals (f, n, af->out, af->scratch);
      break;
    case EMO_FEATURE_SET_LLD_MEANSTD:
    case EMO_FEATURE_SET_LLD:{
      gboolean lld = EMO_FEATURE_SET_BASE (af->set) == EMO_FEATURE_SET_LLD;
      guint from = lld ? (n > af->hop_f ? n - af->hop_f : 0) : 0;
      Moments mo;
      moments (f + from, n - from, &mo);
      for (j = 0; j < EMO_LLD_N; j++) {
        gfloat mean, std;
        lld_stat (&mo, j, 0, &mean, &std);
        if (lld) {
          af->out[j] = mean;
        } else {
          af->out[2 * j] = mean;
          af->out[2 * j + 1] = std;
        }
      }
      for (j = 0; j < af->dims; j++)
        if (!isfinite (af->out[j]))
          af->out[j] = 0;
      break;
    }
    default:
      break;
  }
  af->func (k, af->out, af->dims, n ? (gfloat) v / n : 0.0f, af->user_data);
}

static void
on_lld (guint64 index, const EmoLldFrame * frame, gpointer user_data)
{
  EmoAudioFeat *af = user_data;

  af->ring[index % af->win_f] = *frame;
  af->ring[index % af->win_f + af->win_f] = *frame;
  af->n_lld = index + 1;
  if (af->n_lld % af->hop_f == 0)
    emit (af, af->n_lld / af->hop_f - 1, af->n_lld);
}

void
emo_audio_feat_push (EmoAudioFeat * af, const gfloat * mono, gsize n,
    EmoAudioFeatFunc func, gpointer user_data)
{
  af->func = func;
  af->user_data = user_data;
  emo_egemaps_lld_push (af->lld, mono, n, on_lld, af);
}

void
emo_audio_feat_finish (EmoAudioFeat * af, EmoAudioFeatFunc func,
    gpointer user_data)
{
  guint64 k, n_out;

  af->func = func;
  af->user_data = user_data;
  n_out = emo_audio_feat_frames_for (af,
      emo_egemaps_lld_samples_pushed (af->lld));
  emo_egemaps_lld_finish (af->lld, on_lld, af);
  for (k = af->n_lld / af->hop_f; k < n_out; k++)
    emit (af, k, MIN (af->n_lld, (k + 1) * af->hop_f));
  af->n_lld = 0;
}

void
emo_audio_downmix_f32 (const gfloat * in, guint channels, gsize n_frames,
    gfloat * out)
{
  gsize i;
  guint c;

  if (channels <= 1) {
    memcpy (out, in, n_frames * sizeof (gfloat));
    return;
  }
  for (i = 0; i < n_frames; i++) {
    gfloat acc = 0;
    for (c = 0; c < channels; c++) {
      gfloat x = in[i * channels + c];
      acc += isfinite (x) ? x : 0.0f;
    }
    out[i] = acc / channels;
  }
}

void
emo_audio_downmix_s16 (const gint16 * in, guint channels, gsize n_frames,
    gfloat * out)
{
  gsize i;
  guint c;

  for (i = 0; i < n_frames; i++) {
    gint32 acc = 0;
    for (c = 0; c < channels; c++)
      acc += in[i * channels + c];
    out[i] = (gfloat) acc / (32768.0f * MAX (channels, 1));
  }
}
