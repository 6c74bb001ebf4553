/* gst-emo — streaming eGeMAPS v02 low-level descriptors.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Parameters follow openSMILE's eGeMAPSv02 configuration and Eyben et al.
 * (2016); the code is our own. See docs/audio-features.md for every
 * descriptor and where we differ from openSMILE.
 */
#include "dsp/egemaps-lld.h"
#include "dsp/emo-fft.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#define VIT_LAG 4               /* Viterbi decision delay, frames */
#define N_CAND 4                /* F0 candidates per frame */
#define N_STATES (N_CAND + 1)   /* + unvoiced */
#define F0_MIN 55.0f
#define F0_MAX 1000.0f
#define SHS_FMIN 50.0f          /* lowest point of the log-frequency grid */
#define SHS_FMAX 5000.0f
#define SHS_PPO 48              /* points per octave */
#define SHS_NH 15               /* harmonics summed */
#define SHS_COMP 0.85f          /* weight ratio between successive harmonics */
#define ENERGY_GATE 0.001f      /* RMS of the windowed 60 ms frame */
#define VOICING_THRESHOLD 0.6f
#define W_SHS 0.3f
#define W_OCTAVE 0.5f           /* cost per octave jump between voiced frames */
#define W_VOICING_CHANGE 0.3f
#define N_MEL 26
#define MEL_LO 20.0f
#define MEL_HI 8000.0f
#define LOUDNESS_COMPRESSION 0.33f
#define CEP_LIFTER 22.0f
#define LPC_ORDER 11
#define LPC_FS 11000.0f
#define FORMANT_MIN 50.0f
#define FORMANT_MAX 5450.0f
#define FORMANT_MAX_BW 700.0f
#define JITTER_SEARCH 0.1f      /* period search range, relative */
#define SPEC_FMAX 5000.0f       /* spectral descriptors use 0..5 kHz */
#define ACF_BAND 4000.0f        /* the pitch ACF is band-limited to 0..4 kHz */
#define EPS 1e-12f

typedef gfloat v4f __attribute__((vector_size (16)));

/* out = x * w, four lanes at a time; returns the sums of x^2 and out^2. */
static void
window_frame (gfloat * restrict out, const gfloat * restrict x,
    const gfloat * restrict w, guint n, gfloat * sum_x2, gfloat * sum_y2)
{
  v4f ax = { 0, 0, 0, 0 }, ay = { 0, 0, 0, 0 };
  gfloat sx, sy;
  guint i = 0;

  for (; i + 4 <= n; i += 4) {
    v4f vx, vw, vy;
    memcpy (&vx, x + i, sizeof (vx));
    memcpy (&vw, w + i, sizeof (vw));
    vy = vx * vw;
    memcpy (out + i, &vy, sizeof (vy));
    ax += vx * vx;
    ay += vy * vy;
  }
  sx = (ax[0] + ax[1]) + (ax[2] + ax[3]);
  sy = (ay[0] + ay[1]) + (ay[2] + ay[3]);
  for (; i < n; i++) {
    out[i] = x[i] * w[i];
    sx += x[i] * x[i];
    sy += out[i] * out[i];
  }
  *sum_x2 = sx;
  *sum_y2 = sy;
}

static const gchar *lld_names[EMO_LLD_N] = {
  "Loudness_sma3", "alphaRatio_sma3", "hammarbergIndex_sma3", "slope0-500_sma3",
  "slope500-1500_sma3", "spectralFlux_sma3", "mfcc1_sma3", "mfcc2_sma3",
  "mfcc3_sma3", "mfcc4_sma3", "F0semitoneFrom27.5Hz_sma3nz",
  "jitterLocal_sma3nz",
  "shimmerLocaldB_sma3nz", "HNRdBACF_sma3nz", "logRelF0-H1-H2_sma3nz",
  "logRelF0-H1-A3_sma3nz", "F1frequency_sma3nz", "F1bandwidth_sma3nz",
  "F1amplitudeLogRelF0_sma3nz", "F2frequency_sma3nz", "F2bandwidth_sma3nz",
  "F2amplitudeLogRelF0_sma3nz", "F3frequency_sma3nz", "F3bandwidth_sma3nz",
  "F3amplitudeLogRelF0_sma3nz",
};

const gchar *
emo_lld_name (guint i)
{
  return i < EMO_LLD_N ? lld_names[i] : NULL;
}

/* Everything the delayed F0 decision needs from one analysed frame. */
typedef struct
{
  gfloat *mag60;                /* |X| of the 60 ms Gaussian frame */
  gfloat *racf;                 /* window-normalised autocorrelation */
  gfloat *x60;                  /* raw 60 ms samples (jitter, shimmer) */
  gfloat *pow20;                /* power spectrum of the 20 ms frame (LPC) */
  gfloat cand_hz[N_CAND];
  gfloat cost[N_STATES];
  guint8 back[N_STATES];
  gfloat raw[EMO_LLD_N];
  gfloat energy;
} Slot;

typedef struct
{
  gfloat v[EMO_LLD_N];
  gfloat f0_hz;
  gfloat energy;
  gboolean voiced;
} RawFrame;

struct _EmoEgemapsLld
{
  guint rate, hop, n20, n60, pre;
  /* sample buffer in padded coordinates, buf[0] = first sample of next frame's 60 ms frame */
  gfloat *buf;
  gsize buf_len, buf_cap;
  guint64 pushed;
  guint64 next_frame;           /* next frame to analyse */
  guint64 next_decide;          /* next frame to decide */
  guint64 n_emitted;

  /* 20 ms spectral analysis */
  EmoFft *fft20;
  guint len20, nb20;
  gfloat *win20, *tmp20, *spec20, *mag_prev, *mag_cur;
  gfloat pscale20;
  gboolean have_prev_mag;
  guint k50, k500, k1000, k1500, k2000, k5000, k5500;
  gfloat df20;
  /* mel filterbank: per band [start, end) bins with weights */
  guint mel_start[N_MEL], mel_end[N_MEL];
  gfloat *mel_w;                /* flat, per band consecutive */
  guint mel_off[N_MEL];
  gfloat mel_eql[N_MEL];
  gfloat dct[4][N_MEL];
  /* LPC resampled to 11 kHz: cos table [k][m] */
  gfloat *lpc_cos;
  guint lpc_nb;

  /* 60 ms pitch analysis */
  EmoFft *fft60;
  guint len60, nb60, max_lag, len_acf, nb_acf;
  gfloat rate_acf;              /* lag grid of the band-limited ACF, Hz */
  EmoFft *fft_acf;
  gfloat *win60, *tmp60, *spec60, *acf60, *wacf;
  guint n_grid, cand_lo, cand_hi;
  gint *grid_klo, *grid_khi;
  gfloat *grid_kf, *grid, *shs;
  guint harm_off[SHS_NH];
  gfloat harm_w[SHS_NH];

  /* Viterbi */
  Slot slots[VIT_LAG + 1];
  gfloat acc[N_STATES];
  guint8 path[VIT_LAG + 1];

  /* polynomial roots of the last LPC fit (warm start) */
  gdouble roots_r[LPC_ORDER], roots_i[LPC_ORDER];
  gboolean have_roots;

  /* smoothing: raw frames d-1 and d-2 */
  RawFrame hist[2];
  guint n_hist;
};

static inline gfloat
sanitize (gfloat x)
{
  if (!isfinite (x))
    return 0.0f;
  return CLAMP (x, -8.0f, 8.0f);
}

static gfloat
hz_to_mel (gfloat f)
{
  return 1127.0f * logf (1.0f + f / 700.0f);
}

static gfloat
mel_to_hz (gfloat m)
{
  return 700.0f * (expf (m / 1127.0f) - 1.0f);
}

/* Hermansky's (1990) equal-loudness curve as PLP applies it per band. */
static gfloat
equal_loudness (gfloat f)
{
  gdouble w2 = (2.0 * G_PI * f) * (2.0 * G_PI * f);
  return (gfloat) (((w2 + 56.8e6) * w2 * w2) / ((w2 + 6.3e6) * (w2 +
              6.3e6) * (w2 + 0.38e9)));
}

static guint
bin_of (gfloat f, gfloat df, guint nb)
{
  gint k = (gint) floorf (f / df + 0.5f);
  return (guint) CLAMP (k, 0, (gint) nb - 1);
}

/* FFT of the windowed frame in tmp60 (magnitudes into @mag if given),
 * then the band-limited autocorrelation into acf60. */
static void
band_acf (EmoEgemapsLld * s, const gfloat * frame, gfloat * mag)
{
  guint k;

  emo_fft_forward (s->fft60, frame, s->spec60);
  for (k = 0; k < s->nb60; k++) {
    gfloat re = s->spec60[2 * k], im = s->spec60[2 * k + 1], pw =
        re * re + im * im;
    if (mag)
      mag[k] = sqrtf (pw);
    if (k < s->nb_acf) {
      s->spec60[2 * k] = pw;
      s->spec60[2 * k + 1] = 0;
    }
  }
  emo_fft_inverse (s->fft_acf, s->spec60, s->acf60);
}

EmoEgemapsLld *
emo_egemaps_lld_new (guint rate, GError ** error)
{
  EmoEgemapsLld *s;
  guint i, k, b, m, total;
  gfloat fhi, mlo, mhi, sumw2;

  if (rate < 8000 || rate > 192000) {
    g_set_error (error, G_NUMBER_PARSER_ERROR,
        G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS,
        "sample rate %u Hz outside 8000..192000", rate);
    return NULL;
  }
  s = g_new0 (EmoEgemapsLld, 1);
  s->rate = rate;
  s->hop = (rate + 50) / 100;
  s->n20 = 2 * s->hop;
  s->n60 = 6 * s->hop;
  s->pre = (s->n60 - s->n20) / 2;
  s->buf_cap = s->n60 + 16 * s->hop;
  s->buf = g_new0 (gfloat, s->buf_cap);

  /* 20 ms Hamming frame */
  s->len20 = emo_fft_fast_length (s->n20);
  s->nb20 = s->len20 / 2 + 1;
  s->fft20 = emo_fft_new (s->len20);
  s->win20 = g_new (gfloat, s->n20);
  s->tmp20 = g_new0 (gfloat, s->len20);
  s->spec20 = g_new (gfloat, 2 * s->nb20);
  s->mag_prev = g_new0 (gfloat, s->nb20);
  s->mag_cur = g_new0 (gfloat, s->nb20);
  sumw2 = 0;
  for (i = 0; i < s->n20; i++) {
    s->win20[i] = 0.54f - 0.46f * cosf (2.0f * G_PI * i / (s->n20 - 1));
    sumw2 += s->win20[i] * s->win20[i];
  }
  /* one-sided power spectrum that sums to the mean square of the frame */
  s->pscale20 = 2.0f / (s->n20 * sumw2);
  s->df20 = (gfloat) rate / s->len20;
  s->k50 = bin_of (50, s->df20, s->nb20);
  s->k500 = bin_of (500, s->df20, s->nb20);
  s->k1000 = bin_of (1000, s->df20, s->nb20);
  s->k1500 = bin_of (1500, s->df20, s->nb20);
  s->k2000 = bin_of (2000, s->df20, s->nb20);
  s->k5000 = bin_of (MIN (SPEC_FMAX, rate / 2.0f), s->df20, s->nb20);
  s->k5500 = bin_of (MIN (LPC_FS / 2, rate / 2.0f), s->df20, s->nb20);

  /* mel filterbank, 26 triangles 20..8000 Hz (capped at Nyquist) */
  fhi = MIN (MEL_HI, rate / 2.0f);
  mlo = hz_to_mel (MEL_LO);
  mhi = hz_to_mel (fhi);
  total = 0;
  for (b = 0; b < N_MEL; b++) {
    gfloat fl = mel_to_hz (mlo + (mhi - mlo) * b / (N_MEL + 1));
    gfloat fr = mel_to_hz (mlo + (mhi - mlo) * (b + 2) / (N_MEL + 1));
    s->mel_start[b] = (guint) ceilf (fl / s->df20);
    s->mel_end[b] = MIN ((guint) floorf (fr / s->df20) + 1, s->nb20);
    if (s->mel_end[b] <= s->mel_start[b])
      s->mel_end[b] = MIN (s->mel_start[b] + 1, s->nb20);
    s->mel_off[b] = total;
    total += s->mel_end[b] - s->mel_start[b];
  }
  s->mel_w = g_new0 (gfloat, total);
  for (b = 0; b < N_MEL; b++) {
    gfloat ml = mlo + (mhi - mlo) * b / (N_MEL + 1);
    gfloat mc = mlo + (mhi - mlo) * (b + 1) / (N_MEL + 1);
    gfloat mr = mlo + (mhi - mlo) * (b + 2) / (N_MEL + 1);
    for (k = s->mel_start[b]; k < s->mel_end[b]; k++) {
      gfloat mk = hz_to_mel (k * s->df20), w;
      w = mk <= mc ? (mk - ml) / (mc - ml) : (mr - mk) / (mr - mc);
      s->mel_w[s->mel_off[b] + k - s->mel_start[b]] = CLAMP (w, 0.0f, 1.0f);
    }
    s->mel_eql[b] = equal_loudness (mel_to_hz (mc));
  }
  for (i = 0; i < 4; i++) {
    gfloat lift = 1.0f + CEP_LIFTER / 2.0f * sinf (G_PI * (i + 1) / CEP_LIFTER);
    for (b = 0; b < N_MEL; b++)
      s->dct[i][b] =
          lift * sqrtf (2.0f / N_MEL) * cosf (G_PI * (i + 1) * (b +
              0.5f) / N_MEL);
  }
  s->lpc_nb = s->k5500 + 1;
  s->lpc_cos = g_new (gfloat, s->lpc_nb * (LPC_ORDER + 1));
  for (k = 0; k < s->lpc_nb; k++)
    for (m = 0; m <= LPC_ORDER; m++)
      s->lpc_cos[k * (LPC_ORDER + 1) + m] = (k == 0 ? 0.5f : 1.0f) *
          cosf (2.0f * G_PI * k * s->df20 * m / LPC_FS);

  /* 60 ms Gaussian frame (sigma 0.4), zero padded so that the ACF is
   * linear (no wrap-around) up to the longest pitch period */
  s->len60 =
      emo_fft_fast_length (s->n60 + (guint) ceilf (rate / F0_MIN * 1.05f) + 4);
  s->nb60 = s->len60 / 2 + 1;
  s->fft60 = emo_fft_new (s->len60);
  s->win60 = g_new (gfloat, s->n60);
  s->tmp60 = g_new0 (gfloat, s->len60);
  s->spec60 = g_new (gfloat, 2 * s->nb60);
  /* the ACF comes from the power spectrum below ~4 kHz through a shorter
   * inverse FFT: a band-limited ACF on a coarser lag grid (rate_acf) */
  s->len_acf =
      MIN (emo_fft_fast_length ((guint) ceilf (s->len60 * 2 * ACF_BAND / rate)),
      s->len60);
  s->nb_acf = s->len_acf / 2 + 1;
  s->rate_acf = (gfloat) s->len_acf * rate / s->len60;
  s->fft_acf = emo_fft_new (s->len_acf);
  s->acf60 = g_new (gfloat, s->len_acf);
  s->max_lag = (guint) ceilf (s->rate_acf / F0_MIN * 1.05f) + 2;
  s->max_lag = MIN (s->max_lag, s->len_acf / 2 - 2);
  for (i = 0; i < s->n60; i++) {
    gfloat half = (s->n60 - 1) / 2.0f;
    gfloat t = (i - half) / (0.4f * half);
    s->win60[i] = expf (-0.5f * t * t);
  }
  s->wacf = g_new (gfloat, s->max_lag + 2);
  {
    for (i = 0; i < s->len60; i++)
      s->tmp60[i] = i < s->n60 ? s->win60[i] : 0;
    band_acf (s, s->tmp60, NULL);
    for (m = 0; m < s->max_lag + 2; m++)
      s->wacf[m] = MAX (s->acf60[m] / s->acf60[0], 1e-6f);
  }
  /* log-frequency grid for subharmonic summation */
  {
    gfloat gmax = MIN (SHS_FMAX, 0.95f * rate / 2.0f);
    gfloat df60 = (gfloat) rate / s->len60;
    s->n_grid = (guint) floorf (SHS_PPO * log2f (gmax / SHS_FMIN)) + 1;
    s->grid_klo = g_new (gint, s->n_grid);
    s->grid_khi = g_new (gint, s->n_grid);
    s->grid_kf = g_new (gfloat, s->n_grid);
    /* zero padded past the top so harmonic sums need no bounds check */
    s->grid =
        g_new0 (gfloat,
        s->n_grid + (guint) lrintf (SHS_PPO * log2f (SHS_NH)) + 2);
    s->shs = g_new (gfloat, s->n_grid);
    for (i = 0; i < s->n_grid; i++) {
      gfloat f = SHS_FMIN * exp2f ((gfloat) i / SHS_PPO);
      gfloat flo = f * exp2f (-0.5f / SHS_PPO), fhi2 =
          f * exp2f (0.5f / SHS_PPO);
      s->grid_kf[i] = f / df60;
      s->grid_klo[i] = (gint) ceilf (flo / df60);
      s->grid_khi[i] = MIN ((gint) floorf (fhi2 / df60), (gint) s->nb60 - 1);
    }
    s->cand_lo = (guint) ceilf (SHS_PPO * log2f (F0_MIN / SHS_FMIN));
    s->cand_hi =
        MIN ((guint) floorf (SHS_PPO * log2f (F0_MAX / SHS_FMIN)),
        s->n_grid - 2);
    for (i = 0; i < SHS_NH; i++) {
      s->harm_off[i] = (guint) lrintf (SHS_PPO * log2f (i + 1.0f));
      s->harm_w[i] = powf (SHS_COMP, (gfloat) i);
    }
  }
  for (i = 0; i <= VIT_LAG; i++) {
    s->slots[i].mag60 = g_new0 (gfloat, s->nb60);
    s->slots[i].racf = g_new0 (gfloat, s->max_lag + 2);
    s->slots[i].x60 = g_new0 (gfloat, s->n60);
    s->slots[i].pow20 = g_new0 (gfloat, s->nb20);
  }
  emo_egemaps_lld_reset (s);
  return s;
}

void
emo_egemaps_lld_free (EmoEgemapsLld * s)
{
  guint i;

  if (!s)
    return;
  for (i = 0; i <= VIT_LAG; i++) {
    g_free (s->slots[i].mag60);
    g_free (s->slots[i].racf);
    g_free (s->slots[i].x60);
    g_free (s->slots[i].pow20);
  }
  emo_fft_free (s->fft20);
  emo_fft_free (s->fft60);
  emo_fft_free (s->fft_acf);
  g_free (s->buf);
  g_free (s->win20);
  g_free (s->tmp20);
  g_free (s->spec20);
  g_free (s->mag_prev);
  g_free (s->mag_cur);
  g_free (s->mel_w);
  g_free (s->lpc_cos);
  g_free (s->win60);
  g_free (s->tmp60);
  g_free (s->spec60);
  g_free (s->acf60);
  g_free (s->wacf);
  g_free (s->grid_klo);
  g_free (s->grid_khi);
  g_free (s->grid_kf);
  g_free (s->grid);
  g_free (s->shs);
  g_free (s);
}

void
emo_egemaps_lld_reset (EmoEgemapsLld * s)
{
  memset (s->buf, 0, s->buf_cap * sizeof (gfloat));
  s->buf_len = s->pre;          /* zeros before the first sample */
  s->pushed = 0;
  s->next_frame = 0;
  s->next_decide = 0;
  s->n_emitted = 0;
  s->have_prev_mag = FALSE;
  s->have_roots = FALSE;
  s->n_hist = 0;
  memset (s->acc, 0, sizeof (s->acc));
}

guint
emo_egemaps_lld_rate (const EmoEgemapsLld * s)
{
  return s->rate;
}

guint
emo_egemaps_lld_hop (const EmoEgemapsLld * s)
{
  return s->hop;
}

guint
emo_egemaps_lld_lookahead (const EmoEgemapsLld * s)
{
  return VIT_LAG * s->hop + s->n60 - s->pre;
}

guint64
emo_egemaps_lld_lookahead_ns (guint rate)
{
  guint hop = (MAX (rate, 1) + 50) / 100;
  /* n60 - pre = 6 hop - 2 hop */
  return (guint64) ((VIT_LAG +
          4) * hop) * G_GUINT64_CONSTANT (1000000000) / MAX (rate, 1);
}

guint64
emo_egemaps_lld_samples_pushed (const EmoEgemapsLld * s)
{
  return s->pushed;
}

/* ---- 20 ms frame: spectral descriptors ---- */

static gfloat
band_slope (const gfloat * db, guint k0, guint k1, gfloat df)
{
  gdouble sx = 0, sy = 0, sxx = 0, sxy = 0, n = 0, den;
  guint k;

  for (k = k0; k <= k1; k++) {
    gdouble f = k * df;
    sx += f;
    sy += db[k];
    sxx += f * f;
    sxy += f * db[k];
    n += 1;
  }
  if (n < 2)
    return 0;
  den = n * sxx - sx * sx;
  if (den <= 0)
    return 0;
  return (gfloat) ((n * sxy - sx * sy) / den);
}

static void
analyse_spectral (EmoEgemapsLld * s, const gfloat * x, Slot * slot)
{
  gfloat *p = slot->pow20, *db = s->tmp20;      /* tmp20 reused after the FFT */
  gfloat mel[N_MEL], lo, hi, mlo, mhi, e, loud, tot, norm, flux;
  guint i, k, b;

  {
    gfloat ew;
    window_frame (s->tmp20, x, s->win20, s->n20, &e, &ew);
  }
  /* tmp20[n20..len20) stays zero: the dB scratch use stays below 1.5 kHz */
  slot->energy = e / s->n20;
  emo_fft_forward (s->fft20, s->tmp20, s->spec20);
  for (k = 0; k < s->nb20; k++) {
    gfloat re = s->spec20[2 * k], im = s->spec20[2 * k + 1];
    p[k] = (re * re + im * im) * s->pscale20;
  }

  /* auditory (mel) bands: loudness with equal-loudness weighting and
   * cube-root compression (PLP), and MFCC 1-4 */
  loud = 0;
  for (b = 0; b < N_MEL; b++) {
    const gfloat *w = s->mel_w + s->mel_off[b];
    gfloat acc = 0;
    for (k = s->mel_start[b]; k < s->mel_end[b]; k++)
      acc += w[k - s->mel_start[b]] * p[k];
    loud += powf (s->mel_eql[b] * acc, LOUDNESS_COMPRESSION);
    mel[b] = logf (MAX (acc, 1e-10f));
  }
  slot->raw[EMO_LLD_LOUDNESS] = loud;
  for (i = 0; i < 4; i++) {
    gfloat c = 0;
    for (b = 0; b < N_MEL; b++)
      c += s->dct[i][b] * mel[b];
    slot->raw[EMO_LLD_MFCC1 + i] = c;
  }

  /* band energies and log spectrum 0..5 kHz */
  lo = hi = mlo = mhi = tot = 0;
  for (k = 0; k <= s->k5000; k++) {
    if (k <= s->k1500)
      db[k] = 10.0f * log10f (p[k] + EPS);
    tot += p[k];
    if (k >= s->k50 && k < s->k1000)
      lo += p[k];
    else if (k >= s->k1000)
      hi += p[k];
    if (k < s->k2000)
      mlo = MAX (mlo, p[k]);
    else
      mhi = MAX (mhi, p[k]);
  }
  slot->raw[EMO_LLD_ALPHA_RATIO] = 10.0f * log10f ((hi + EPS) / (lo + EPS));
  slot->raw[EMO_LLD_HAMMARBERG] = 10.0f * log10f ((mlo + EPS) / (mhi + EPS));
  slot->raw[EMO_LLD_SLOPE_0_500] = band_slope (db, 0, s->k500, s->df20);
  slot->raw[EMO_LLD_SLOPE_500_1500] =
      band_slope (db, s->k500, s->k1500, s->df20);

  /* flux between L2-normalised magnitude spectra (0..5 kHz) */
  norm = tot > 0 ? 1.0f / sqrtf (tot) : 0.0f;
  flux = 0;
  for (k = 0; k <= s->k5000; k++) {
    gfloat m = sqrtf (p[k]) * norm, d = m - s->mag_prev[k];
    flux += d * d;
    s->mag_cur[k] = m;
  }
  slot->raw[EMO_LLD_SPECTRAL_FLUX] = s->have_prev_mag ? flux : 0.0f;
  memcpy (s->mag_prev, s->mag_cur, (s->k5000 + 1) * sizeof (gfloat));
  s->have_prev_mag = TRUE;
}

/* ---- 60 ms frame: pitch candidates (subharmonic summation + ACF) ---- */

static gfloat
racf_peak (const EmoEgemapsLld * s, const gfloat * r, gfloat hz,
    gfloat * lag_out)
{
  gfloat tau = s->rate_acf / hz, best = -2, bl;
  gint lo = (gint) floorf (tau * 0.97f), hi =
      (gint) ceilf (tau * 1.03f), t, bt = -1;

  lo = MAX (lo, 2);
  hi = MIN (hi, (gint) s->max_lag);
  for (t = lo; t <= hi; t++) {
    if (r[t] > best) {
      best = r[t];
      bt = t;
    }
  }
  if (bt < 0) {
    *lag_out = tau;
    return 0;
  }
  bl = bt;
  if (bt > 0 && bt < (gint) s->max_lag + 1) {
    gfloat a = r[bt - 1], b = r[bt], c = r[bt + 1], den = a - 2 * b + c;
    if (den < 0) {
      gfloat d = CLAMP (0.5f * (a - c) / den, -0.5f, 0.5f);
      bl = bt + d;
      best = b - 0.25f * (a - c) * d;
    }
  }
  *lag_out = bl;
  return best;
}

/* y += a * x, four lanes at a time (the SHS inner loop) */
static void
axpy (gfloat * restrict y, const gfloat * restrict x, gfloat a, guint n)
{
  v4f va = { a, a, a, a };
  guint i = 0;

  for (; i + 4 <= n; i += 4) {
    v4f vx, vy;
    memcpy (&vx, x + i, sizeof (vx));
    memcpy (&vy, y + i, sizeof (vy));
    vy += va * vx;
    memcpy (y + i, &vy, sizeof (vy));
  }
  for (; i < n; i++)
    y[i] += a * x[i];
}

static void
analyse_pitch (EmoEgemapsLld * s, const gfloat * x, Slot * slot)
{
  gfloat e = 0, rms, shs_max, a0;
  guint i, k, c, nc = 0;
  guint ci[N_CAND];
  gfloat cv[N_CAND];

  memcpy (slot->x60, x, s->n60 * sizeof (gfloat));
  {
    gfloat ex;
    window_frame (s->tmp60, x, s->win60, s->n60, &ex, &e);
  }
  /* tmp60[n60..len60) stays zero from the allocation */
  rms = sqrtf (e / s->n60);
  for (c = 0; c < N_CAND; c++)
    slot->cand_hz[c] = 0;
  for (c = 0; c < N_STATES; c++)
    slot->cost[c] = G_MAXFLOAT;
  if (!(rms >= ENERGY_GATE)) {
    slot->cost[N_CAND] = 0;     /* silence: unvoiced for sure, no spectrum needed */
    return;
  }

  band_acf (s, s->tmp60, slot->mag60);
  a0 = s->acf60[0];
  for (k = 0; k < s->max_lag + 2; k++)
    slot->racf[k] =
        a0 > 0 ? CLAMP ((s->acf60[k] / a0) / s->wacf[k], -1.0f, 1.0f) : 0.0f;

  slot->cost[N_CAND] = 1.0f - VOICING_THRESHOLD;

  /* magnitude on a log-frequency grid: the maximum of the bins in each
   * cell, or linear interpolation where cells are narrower than a bin */
  for (i = 0; i < s->n_grid; i++) {
    if (s->grid_khi[i] >= s->grid_klo[i]) {
      gfloat m = 0;
      gint kk;
      for (kk = s->grid_klo[i]; kk <= s->grid_khi[i]; kk++)
        m = MAX (m, slot->mag60[kk]);
      s->grid[i] = m;
    } else {
      gfloat kf = s->grid_kf[i];
      guint k0 = (guint) kf;
      gfloat fr = kf - k0;
      s->grid[i] = k0 + 1 < s->nb60 ?
          slot->mag60[k0] * (1 - fr) + slot->mag60[k0 + 1] * fr : 0.0f;
    }
  }
  shs_max = 0;
  {
    guint h, lo = s->cand_lo - 1, hi = s->cand_hi + 1;
    for (i = lo; i <= hi; i++)
      s->shs[i] = 0;
    for (h = 0; h < SHS_NH; h++)
      axpy (s->shs + lo, s->grid + s->harm_off[h] + lo, s->harm_w[h],
          hi - lo + 1);
  }
  /* the N_CAND strongest local maxima */
  for (i = s->cand_lo; i <= s->cand_hi; i++) {
    gfloat v = s->shs[i];
    if (v > s->shs[i - 1] && v >= s->shs[i + 1] && v > 0) {
      if (nc < N_CAND) {
        ci[nc] = i;
        cv[nc++] = v;
      } else {
        guint w = 0;
        for (c = 1; c < N_CAND; c++)
          if (cv[c] < cv[w])
            w = c;
        if (v > cv[w]) {
          ci[w] = i;
          cv[w] = v;
        }
      }
    }
    shs_max = MAX (shs_max, v);
  }
  for (c = 0; c < nc; c++) {
    gfloat a = s->shs[ci[c] - 1], b = s->shs[ci[c]], cc = s->shs[ci[c] + 1];
    gfloat den = a - 2 * b + cc, d = 0, hz, r, lag;
    if (den < 0)
      d = CLAMP (0.5f * (a - cc) / den, -0.5f, 0.5f);
    hz = SHS_FMIN * exp2f ((ci[c] + d) / SHS_PPO);
    r = racf_peak (s, slot->racf, hz, &lag);
    hz = s->rate_acf / lag;
    if (hz < F0_MIN * 0.97f || hz > F0_MAX * 1.03f)
      continue;
    slot->cand_hz[c] = hz;
    slot->cost[c] = (1.0f - r) + W_SHS * (1.0f - cv[c] / shs_max);
  }
}

static void
viterbi_step (EmoEgemapsLld * s, Slot * slot, gboolean first)
{
  gfloat acc[N_STATES], mn = G_MAXFLOAT;
  const Slot *prev =
      first ? NULL : &s->slots[(s->next_frame - 1) % (VIT_LAG + 1)];
  guint a, b;

  for (b = 0; b < N_STATES; b++) {
    gfloat best = G_MAXFLOAT;
    guint bp = N_CAND;
    if (slot->cost[b] >= G_MAXFLOAT) {
      acc[b] = G_MAXFLOAT;
      slot->back[b] = N_CAND;
      continue;
    }
    if (first) {
      best = 0;
    } else {
      for (a = 0; a < N_STATES; a++) {
        gfloat t;
        if (s->acc[a] >= G_MAXFLOAT)
          continue;
        if (a < N_CAND && b < N_CAND)
          t = W_OCTAVE * fabsf (log2f (prev->cand_hz[a] / slot->cand_hz[b]));
        else if (a == N_CAND && b == N_CAND)
          t = 0;
        else
          t = W_VOICING_CHANGE;
        if (s->acc[a] + t < best) {
          best = s->acc[a] + t;
          bp = a;
        }
      }
    }
    acc[b] = best + slot->cost[b];
    slot->back[b] = (guint8) bp;
    mn = MIN (mn, acc[b]);
  }
  for (b = 0; b < N_STATES; b++)
    s->acc[b] = acc[b] >= G_MAXFLOAT ? G_MAXFLOAT : acc[b] - mn;
}

static guint
best_state (const EmoEgemapsLld * s)
{
  guint b, best = N_CAND;

  for (b = 0; b < N_STATES; b++)
    if (s->acc[b] < s->acc[best])
      best = b;
  return best;
}

/* ---- decided frame: voice quality, harmonics, formants ---- */

static void
jitter_shimmer (const EmoEgemapsLld * s, const gfloat * x, gfloat f0,
    gfloat * jitter, gfloat * shimmer)
{
  gfloat marks[64], peaks[64], t0 = s->rate / f0, p, pv;
  guint n = 0, i, n_per;
  gint k, lo, hi, best;
  gdouble sum_t = 0, sum_dt = 0, sum_da = 0;
  gfloat amp[64];

  *jitter = *shimmer = 0;
  lo = 0;
  hi = MIN ((gint) ceilf (t0), (gint) s->n60 - 2);
  for (;;) {
    best = -1;
    for (k = MAX (lo, 1); k <= hi && k < (gint) s->n60 - 1; k++)
      if (best < 0 || x[k] > x[best])
        best = k;
    if (best < 0)
      break;
    {
      gfloat a = x[best - 1], b = x[best], c = x[best + 1], den = a - 2 * b + c;
      p = best;
      pv = b;
      if (den < 0) {
        gfloat d = CLAMP (0.5f * (a - c) / den, -0.5f, 0.5f);
        p += d;
        pv = b - 0.25f * (a - c) * d;
      }
    }
    peaks[n] = pv;
    marks[n++] = p;
    if (n == G_N_ELEMENTS (marks))
      break;
    lo = (gint) ceilf (p + t0 * (1 - JITTER_SEARCH));
    hi = (gint) floorf (p + t0 * (1 + JITTER_SEARCH));
    if (hi >= (gint) s->n60 - 1)
      break;
  }
  if (n < 3)
    return;
  n_per = n - 1;
  for (i = 0; i < n_per; i++) {
    /* period amplitude: its peak down to the lowest point before the next */
    gint a = (gint) marks[i], b = (gint) marks[i + 1];
    gfloat mn = x[a];
    for (k = a; k <= b; k++)
      mn = MIN (mn, x[k]);
    amp[i] = peaks[i] - mn;
    sum_t += marks[i + 1] - marks[i];
  }
  for (i = 0; i + 1 < n_per; i++) {
    sum_dt += fabs ((marks[i + 2] - marks[i + 1]) - (marks[i + 1] - marks[i]));
    if (amp[i] > 0 && amp[i + 1] > 0)
      sum_da += fabs (20.0 * log10 (amp[i + 1] / amp[i]));
  }
  *jitter = (gfloat) ((sum_dt / (n_per - 1)) / (sum_t / n_per));
  *shimmer = (gfloat) (sum_da / (n_per - 1));
}

static gfloat
peak_near (const EmoEgemapsLld * s, const gfloat * mag, gfloat f,
    gfloat halfwidth)
{
  gfloat df = (gfloat) s->rate / s->len60, m = 0;
  gint k0 = (gint) floorf ((f - halfwidth) / df), k1 =
      (gint) ceilf ((f + halfwidth) / df), k;

  k0 = MAX (k0, 0);
  k1 = MIN (k1, (gint) s->nb60 - 1);
  for (k = k0; k <= k1; k++)
    m = MAX (m, mag[k]);
  return m;
}

static guint
lpc_formants (EmoEgemapsLld * s, const gfloat * p, gfloat * freq, gfloat * bw)
{
  gdouble r[LPC_ORDER + 1], a[LPC_ORDER + 1], tmp[LPC_ORDER + 1], err;
  double complex z[LPC_ORDER];
  gdouble zr[LPC_ORDER], zi[LPC_ORDER];
  gfloat ff[LPC_ORDER], fb[LPC_ORDER];
  guint k, m, i, j, it, nf = 0;

  for (m = 0; m <= LPC_ORDER; m++)
    r[m] = 0;
  for (k = 0; k < s->lpc_nb; k++) {
    const gfloat *c = s->lpc_cos + k * (LPC_ORDER + 1);
    for (m = 0; m <= LPC_ORDER; m++)
      r[m] += (gdouble) p[k] * c[m];
  }
  if (!(r[0] > 1e-14))
    return 0;
  r[0] *= 1.0 + 1e-6;
  /* Levinson-Durbin */
  a[0] = 1;
  for (i = 1; i <= LPC_ORDER; i++)
    a[i] = 0;
  err = r[0];
  for (i = 1; i <= LPC_ORDER; i++) {
    gdouble acc = r[i], kk;
    for (j = 1; j < i; j++)
      acc += a[j] * r[i - j];
    kk = -acc / err;
    for (j = 1; j < i; j++)
      tmp[j] = a[j] + kk * a[i - j];
    for (j = 1; j < i; j++)
      a[j] = tmp[j];
    a[i] = kk;
    err *= 1 - kk * kk;
    if (err <= 0)
      return 0;
  }
  /* roots of z^p + a1 z^(p-1) + ... + ap by Durand-Kerner */
  if (s->have_roots) {
    /* start from the previous frame's roots, turned slightly so that no
     * two starting points are complex conjugates */
    for (i = 0; i < LPC_ORDER; i++) {
      zr[i] = 0.999 * (s->roots_r[i] * cos (0.02) - s->roots_i[i] * sin (0.02));
      zi[i] = 0.999 * (s->roots_r[i] * sin (0.02) + s->roots_i[i] * cos (0.02));
    }
  } else {
    for (i = 0; i < LPC_ORDER; i++) {
      z[i] = cpow (0.4 + 0.9 * I, i);
      zr[i] = creal (z[i]);
      zi[i] = cimag (z[i]);
    }
  }
  for (it = 0; it < 100; it++) {
    gdouble delta = 0;
    for (i = 0; i < LPC_ORDER; i++) {
      gdouble nr = 1, ni = 0, dr = 1, di = 0, t, q, ur, ui;
      for (j = 1; j <= LPC_ORDER; j++) {
        t = nr * zr[i] - ni * zi[i] + a[j];
        ni = nr * zi[i] + ni * zr[i];
        nr = t;
      }
      for (j = 0; j < LPC_ORDER; j++) {
        gdouble er, ei;
        if (j == i)
          continue;
        er = zr[i] - zr[j];
        ei = zi[i] - zi[j];
        t = dr * er - di * ei;
        di = dr * ei + di * er;
        dr = t;
      }
      q = dr * dr + di * di;
      if (q < 1e-300)
        q = 1e-300;
      /* (n / d) = n * conj (d) / |d|^2 */
      ur = (nr * dr + ni * di) / q;
      ui = (ni * dr - nr * di) / q;
      zr[i] -= ur;
      zi[i] -= ui;
      delta = MAX (delta, ur * ur + ui * ui);
    }
    if (delta < 1e-16)
      break;
  }
  s->have_roots = TRUE;
  for (i = 0; i < LPC_ORDER; i++) {
    if (!isfinite (zr[i]) || !isfinite (zi[i]))
      s->have_roots = FALSE;
    s->roots_r[i] = zr[i];
    s->roots_i[i] = zi[i];
    z[i] = zr[i] + zi[i] * I;
  }
  for (i = 0; i < LPC_ORDER; i++) {
    gdouble mag = cabs (z[i]), f, b;
    if (cimag (z[i]) <= 0 || !isfinite (mag) || mag <= 0)
      continue;
    f = carg (z[i]) * LPC_FS / (2 * G_PI);
    b = -log (mag) * LPC_FS / G_PI;
    if (f < FORMANT_MIN || f > FORMANT_MAX || b <= 0 || b > FORMANT_MAX_BW)
      continue;
    ff[nf] = (gfloat) f;
    fb[nf++] = (gfloat) b;
  }
  /* sort by frequency */
  for (i = 1; i < nf; i++)
    for (j = i; j > 0 && ff[j] < ff[j - 1]; j--) {
      gfloat t = ff[j];
      ff[j] = ff[j - 1];
      ff[j - 1] = t;
      t = fb[j];
      fb[j] = fb[j - 1];
      fb[j - 1] = t;
    }
  for (i = 0; i < 3; i++) {
    freq[i] = i < nf ? ff[i] : 0;
    bw[i] = i < nf ? fb[i] : 0;
  }
  return MIN (nf, 3);
}

static void
smooth_and_emit (EmoEgemapsLld * s, const RawFrame * prev, const RawFrame * cur,
    const RawFrame * next, EmoLldFrameFunc func, gpointer user_data)
{
  EmoLldFrame out;
  guint i;

  for (i = 0; i < EMO_LLD_N; i++) {
    if (i < EMO_LLD_FIRST_NZ) {
      gfloat acc = cur->v[i];
      guint n = 1;
      if (prev) {
        acc += prev->v[i];
        n++;
      }
      if (next) {
        acc += next->v[i];
        n++;
      }
      out.v[i] = acc / n;
    } else if (cur->v[i] == 0) {
      out.v[i] = 0;
    } else {
      gfloat acc = cur->v[i];
      guint n = 1;
      if (prev && prev->v[i] != 0) {
        acc += prev->v[i];
        n++;
      }
      if (next && next->v[i] != 0) {
        acc += next->v[i];
        n++;
      }
      out.v[i] = acc / n;
    }
    if (!isfinite (out.v[i]))
      out.v[i] = 0;
  }
  out.f0_hz = cur->f0_hz;
  out.energy = isfinite (cur->energy) ? cur->energy : 0;
  out.voiced = cur->voiced;
  func (s->n_emitted++, &out, user_data);
}

/* Frame d got its F0 (0 = unvoiced): finish its descriptors, smooth, emit d-1. */
static void
decide (EmoEgemapsLld * s, guint state, EmoLldFrameFunc func,
    gpointer user_data)
{
  Slot *slot = &s->slots[s->next_decide % (VIT_LAG + 1)];
  RawFrame cur;
  gfloat f0 = state < N_CAND ? slot->cand_hz[state] : 0;
  guint i;

  memcpy (cur.v, slot->raw, sizeof (cur.v));
  for (i = EMO_LLD_FIRST_NZ; i < EMO_LLD_N; i++)
    cur.v[i] = 0;
  cur.energy = slot->energy;
  cur.f0_hz = f0 > 0 ? f0 : 0;
  cur.voiced = f0 > 0;
  if (f0 > 0) {
    gfloat lag, r, h1, h2, fq[3], fbw[3];
    guint n;

    cur.v[EMO_LLD_F0_SEMITONE] = 12.0f * log2f (f0 / 27.5f);
    jitter_shimmer (s, slot->x60, f0, &cur.v[EMO_LLD_JITTER],
        &cur.v[EMO_LLD_SHIMMER_DB]);
    r = racf_peak (s, slot->racf, f0, &lag);
    r = CLAMP (r, 1e-5f, 1.0f - 1e-5f);
    cur.v[EMO_LLD_HNR_DB] = 10.0f * log10f (r / (1.0f - r));
    h1 = peak_near (s, slot->mag60, f0, 0.25f * f0) + 1e-10f;
    h2 = peak_near (s, slot->mag60, 2 * f0, 0.25f * f0) + 1e-10f;
    cur.v[EMO_LLD_H1_H2] = 20.0f * log10f (h1 / h2);
    n = lpc_formants (s, slot->pow20, fq, fbw);
    for (i = 0; i < n; i++) {
      gfloat ai = peak_near (s, slot->mag60, fq[i], 0.5f * f0) + 1e-10f;
      cur.v[EMO_LLD_F1_FREQ + 3 * i] = fq[i];
      cur.v[EMO_LLD_F1_BW + 3 * i] = fbw[i];
      cur.v[EMO_LLD_F1_AMP + 3 * i] = 20.0f * log10f (ai / h1);
      if (i == 2)
        cur.v[EMO_LLD_H1_A3] = 20.0f * log10f (h1 / ai);
    }
  }
  s->next_decide++;

  if (s->n_hist == 0) {
    s->hist[1] = cur;
    s->n_hist = 1;
  } else {
    smooth_and_emit (s, s->n_hist >= 2 ? &s->hist[0] : NULL, &s->hist[1], &cur,
        func, user_data);
    s->hist[0] = s->hist[1];
    s->hist[1] = cur;
    s->n_hist = 2;
  }
}

static void
analyse_frame (EmoEgemapsLld * s, EmoLldFrameFunc func, gpointer user_data)
{
  Slot *slot = &s->slots[s->next_frame % (VIT_LAG + 1)];

  analyse_spectral (s, s->buf + s->pre, slot);
  analyse_pitch (s, s->buf, slot);
  viterbi_step (s, slot, s->next_frame == s->next_decide);
  s->next_frame++;
  if (s->next_frame - s->next_decide > VIT_LAG) {
    guint st = best_state (s);
    guint64 u;
    for (u = s->next_frame - 1; u > s->next_decide; u--)
      st = s->slots[u % (VIT_LAG + 1)].back[st];
    decide (s, st, func, user_data);
  }
}

/* Frame j starts at sample round (j * rate / 100): at rates that are not a
 * multiple of 100 Hz (22050) the step alternates (220, 221) so that frames
 * stay on the 10 ms grid however long the stream. */
static guint64
frame_start (const EmoEgemapsLld * s, guint64 j)
{
  return (j * s->rate + 50) / 100;
}

/* Step from the frame just analysed to the next one. */
static gsize
frame_step (const EmoEgemapsLld * s)
{
  return (gsize) (frame_start (s, s->next_frame) - frame_start (s,
          s->next_frame - 1));
}

guint64
emo_egemaps_lld_frames_for (const EmoEgemapsLld * s, guint64 n_samples)
{
  /* the number of j with frame_start (j) < n_samples */
  return n_samples ? (100 * n_samples - 50 + s->rate - 1) / s->rate : 0;
}

static void
consume (EmoEgemapsLld * s, EmoLldFrameFunc func, gpointer user_data)
{
  gsize off = 0;

  while (s->buf_len - off >= s->n60) {
    if (off) {
      memmove (s->buf, s->buf + off, (s->buf_len - off) * sizeof (gfloat));
      s->buf_len -= off;
      off = 0;
    }
    analyse_frame (s, func, user_data);
    off = frame_step (s);
  }
  if (off) {
    memmove (s->buf, s->buf + off, (s->buf_len - off) * sizeof (gfloat));
    s->buf_len -= off;
  }
}

void
emo_egemaps_lld_push (EmoEgemapsLld * s, const gfloat * x, gsize n,
    EmoLldFrameFunc func, gpointer user_data)
{
  while (n > 0) {
    gsize take = MIN (n, s->buf_cap - s->buf_len), i;
    for (i = 0; i < take; i++)
      s->buf[s->buf_len + i] = sanitize (x[i]);
    s->buf_len += take;
    s->pushed += take;
    x += take;
    n -= take;
    consume (s, func, user_data);
  }
}

void
emo_egemaps_lld_finish (EmoEgemapsLld * s, EmoLldFrameFunc func,
    gpointer user_data)
{
  guint64 n_frames = emo_egemaps_lld_frames_for (s, s->pushed);

  while (s->next_frame < n_frames) {
    gsize fill = MIN (s->buf_cap - s->buf_len, s->n60);
    memset (s->buf + s->buf_len, 0, fill * sizeof (gfloat));
    s->buf_len += fill;
    while (s->buf_len >= s->n60 && s->next_frame < n_frames) {
      gsize step;
      analyse_frame (s, func, user_data);
      step = frame_step (s);
      memmove (s->buf, s->buf + step, (s->buf_len - step) * sizeof (gfloat));
      s->buf_len -= step;
    }
  }
  if (s->next_decide < s->next_frame) {
    guint st = best_state (s);
    guint64 u;
    guint n = (guint) (s->next_frame - s->next_decide), i;
    for (i = n; i-- > 0;) {
      u = s->next_decide + i;
      s->path[i] = (guint8) st;
      st = s->slots[u % (VIT_LAG + 1)].back[st];
    }
    for (i = 0; i < n; i++)
      decide (s, s->path[i], func, user_data);
  }
  if (s->n_hist >= 1)
    smooth_and_emit (s, s->n_hist >= 2 ? &s->hist[0] : NULL, &s->hist[1], NULL,
        func, user_data);
  emo_egemaps_lld_reset (s);
}
