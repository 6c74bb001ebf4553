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

/* openSMILE eGeMAPSv02 pitch (cSpecScale + cPitchShs + cPitchSmootherViterbi
 * as configured there) */
#define OS_NCAND 6              /* candidates per frame */
#define OS_NSTATES (OS_NCAND + 1)
#define OS_SCALE_FMIN 25.0      /* octave-scale spectrum from 25 Hz */
#define OS_VOICING_CUTOFF 0.7f
#define OS_W_LOCAL 2.0
#define OS_W_TVV 10.0
#define OS_W_TVVD 10.0          /* openSMILE's setWeights () passes wTvv for it */
#define OS_W_TVUV 10.0
#define OS_W_THR 4.0
#define OS_W_RANGE 1.0
#define OS_T_UU 1.0             /* its u->u test never matches: cost 1, not wTuu */
#define OS_ENERGY_GATE 0.001f   /* RMS of the windowed 60 ms frame */

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
  gfloat *spec20c;              /* openSMILE variant: its complex spectrum */
  gfloat cand_hz[N_CAND];
  gfloat cost[N_STATES];
  guint8 back[N_STATES];
  gfloat raw[EMO_LLD_N];
  gfloat energy;
  /* openSMILE variant: candidates (Hz, 0 = none) and their voicing */
  gfloat os_f0[OS_NCAND], os_v[OS_NCAND];
  gfloat rms60;
} Slot;

typedef struct
{
  gfloat v[EMO_LLD_N];
  gfloat sv[EMO_LLD_N_SPEC_V], su[EMO_LLD_N_SPEC_UV];
  gfloat f0_hz;
  gfloat energy;
  gboolean voiced;
} RawFrame;

struct _EmoEgemapsLld
{
  EmoLldVariant variant;
  gboolean os;                  /* variant == EMO_LLD_OPENSMILE */
  guint lag, n_slots;           /* decision lag (frames), slots kept */
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
  gdouble lpc_fs;               /* sample rate of the LPC analysis */
  /* openSMILE variant: its resampling to lpc_fs (an inverse DFT of the
   * lowest lpc_nb bins to lpc_nout points), the zero padding in front of
   * the 20 ms frame, a dB scratch */
  guint lpc_nout, pad20;
  gfloat *lpc_rc, *lpc_y, *os_db;

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
  Slot *slots;
  gfloat acc[N_STATES];
  guint8 *path;

  /* openSMILE variant: HTK mel bank (bin -> band map and weight) */
  gint *os_chan;
  gfloat *os_melw;
  guint os_nlo, os_nhi;
  gfloat os_eql[N_MEL];
  /* octave-scale spectrum: spline caches, auditory weighting, SHS */
  guint os_nmag;
  gdouble *os_ft, *os_sig, *os_d1, *os_d2, *os_y, *os_y2, *os_u;
  gdouble *os_sp, *os_sq;       /* the spline's data-independent factors */
  gint *os_klo;
  gdouble *os_coef;
  gdouble *os_audw, os_ppo, os_fmint, os_fstept;
  gfloat *os_ss, *os_oct, *os_acf;
  guint os_shift[SHS_NH];
  /* Viterbi smoother: survivor paths, costs, decided states */
  gint *os_paths[2];
  gint *os_best;
  gdouble os_cost[OS_NSTATES], os_cost_new[OS_NSTATES];
  gint os_pathbuf;
  gint64 os_pathidx, os_convidx;
  gdouble os_last_change;

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

/* openSMILE's (non-HTK) equal-loudness weight for its PLP auditory spectrum */
static gdouble
os_equal_loudness (gdouble f)
{
  gdouble w = 2.0 * G_PI * f, w2 = w * w, c = w2 + 6300000.0;

  return 1e32 * ((w2 + 56.8e6) * w2 * w2) / (c * c * (w2 + 0.38e9) *
      (w2 * w2 * w2 * w + 1.7e31));
}

static guint
next_pow2 (guint n)
{
  guint l = 2;

  while (l < n)
    l *= 2;
  return l;
}

/* openSMILE variant set-up: its mel filter bank (bins strictly inside
 * (round (20 Hz / df), round (8 kHz / df)), each split between two
 * neighbouring bands), its octave-scale spectrum grid for subharmonic
 * summation (as many points as FFT bins, 25 Hz to Nyquist, natural cubic
 * spline), its auditory weighting and the Viterbi buffers. */
static void
os_init (EmoEgemapsLld * s)
{
  gdouble df = (gdouble) s->rate / s->len20, lo, hi, cfs[N_MEL + 2], bw;
  guint n, m, b, i;

  lo = 1127.0 * log (1.0 + MEL_LO / 700.0);
  hi = 1127.0 * log (1.0 + MIN (MEL_HI, s->rate / 2.0) / 700.0);
  bw = (hi - lo) / (N_MEL + 1);
  for (m = 0; m < N_MEL + 2; m++)
    cfs[m] = lo + m * bw;
  for (b = 0; b < N_MEL; b++)
    s->os_eql[b] = (gfloat) os_equal_loudness (700.0 *
        (exp (cfs[b + 1] / 1127.0) - 1.0));
  s->os_nlo = MIN ((guint) lrint (MEL_LO / df), s->nb20);
  s->os_nhi = MIN ((guint) lrint (MIN (MEL_HI, s->rate / 2.0) / df), s->nb20);
  s->os_chan = g_new (gint, s->nb20);
  s->os_melw = g_new0 (gfloat, s->nb20);
  m = 0;
  for (n = 0; n < s->nb20; n++) {
    gdouble nm = 1127.0 * log (1.0 + n * df / 700.0);
    if (n <= s->os_nlo || n >= s->os_nhi) {
      s->os_chan[n] = -3;
      continue;
    }
    while (m <= N_MEL + 1 && cfs[m] < nm)
      m++;
    s->os_chan[n] = (gint) m - 2;
    /* rising-slope weight of band m-1 is 1 - this; falling of band m-2 */
    if (m >= 1 && m <= N_MEL + 1)
      s->os_melw[n] = (gfloat) ((cfs[m] - nm) / (cfs[m] - cfs[m - 1]));
  }

  /* octave-scale spectrum of the 60 ms frame */
  {
    gdouble dfo = (gdouble) s->rate / s->len60, fmax, fmin_t, fmax_t, step;
    guint nmag = s->nb60, kup = 1;
    s->os_nmag = nmag;
    s->os_ft = g_new (gdouble, nmag);
    s->os_sig = g_new0 (gdouble, nmag);
    s->os_d1 = g_new0 (gdouble, nmag);
    s->os_d2 = g_new0 (gdouble, nmag);
    s->os_y = g_new0 (gdouble, nmag);
    s->os_y2 = g_new0 (gdouble, nmag);
    s->os_u = g_new0 (gdouble, nmag);
    s->os_klo = g_new (gint, nmag);
    s->os_coef = g_new (gdouble, 4 * nmag);
    s->os_audw = g_new (gdouble, nmag);
    s->os_ss = g_new0 (gfloat, nmag);
    s->os_oct = g_new0 (gfloat, nmag);
    s->os_acf = g_new0 (gfloat, s->len60);
    for (i = 1; i < nmag; i++)
      s->os_ft[i] = log2 (i * dfo);
    /* its heuristic for bin 0 (log 0 does not exist) */
    s->os_ft[0] = 2.0 * s->os_ft[1] - s->os_ft[2];
    s->os_sp = g_new0 (gdouble, nmag);
    s->os_sq = g_new0 (gdouble, nmag);
    for (i = 1; i + 1 < nmag; i++) {
      gdouble *x = s->os_ft;
      s->os_sig[i] = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
      /* reciprocals: the per-frame pass multiplies */
      s->os_d1[i] = 1.0 / ((x[i + 1] - x[i]) * (x[i + 1] - x[i - 1]));
      s->os_d2[i] = 1.0 / ((x[i] - x[i - 1]) * (x[i + 1] - x[i - 1]));
      /* the tridiagonal elimination's pivots depend on the grid only */
      s->os_sp[i] = 1.0 / (s->os_sig[i] * s->os_sq[i - 1] + 2.0);
      s->os_sq[i] = (s->os_sig[i] - 1.0) * s->os_sp[i];
    }
    fmax = dfo * (nmag - 1);
    fmin_t = log2 (OS_SCALE_FMIN);
    fmax_t = log2 (fmax);
    step = (fmax_t - fmin_t) / (nmag - 1);
    for (i = 0; i < nmag; i++) {
      gdouble xt = fmin_t + i * step, range, a, bb, r2;
      while (kup < nmag - 1 && s->os_ft[kup] < xt)
        kup++;
      s->os_klo[i] = (gint) kup - 1;
      range = s->os_ft[kup] - s->os_ft[kup - 1];
      a = (s->os_ft[kup] - xt) / range;
      bb = 1.0 - a;
      r2 = range * range / 6.0;
      s->os_coef[4 * i] = a;
      s->os_coef[4 * i + 1] = bb;
      s->os_coef[4 * i + 2] = (a * a * a - a) * r2;
      s->os_coef[4 * i + 3] = (bb * bb * bb - bb) * r2;
    }
    s->os_ppo = nmag / log2 (fmax / OS_SCALE_FMIN);
    s->os_fmint = fmin_t;
    s->os_fstept = step;
    {
      gdouble atan_s = s->os_ppo * log2 (65.0 / 50.0) - 1.0;
      for (i = 0; i < nmag; i++)
        s->os_audw[i] = 0.5 + atan (3.0 * (i + 1 - atan_s) / s->os_ppo) / G_PI;
    }
    for (i = 0; i < SHS_NH; i++)
      s->os_shift[i] = (guint) floor (s->os_ppo * log2 (i + 1.0));
  }
  s->os_paths[0] = g_new0 (gint, OS_NSTATES * s->lag);
  s->os_paths[1] = g_new0 (gint, OS_NSTATES * s->lag);
  s->os_best = g_new0 (gint, s->lag);
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

/* v1's mel filter bank (26 triangles 20..8000 Hz, capped at Nyquist), the
 * DCT for MFCC 1-4 and the cosine table of the LPC autocorrelation */
static void
init_mel_lpc (EmoEgemapsLld * s)
{
  guint k, b, m, i, total;
  gfloat fhi, mlo, mhi;

  /* mel filterbank, 26 triangles 20..8000 Hz (capped at Nyquist) */
  fhi = MIN (MEL_HI, s->rate / 2.0f);
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
  s->lpc_fs = LPC_FS;
  if (s->os) {
    /* openSMILE resamples the zero-padded 20 ms FFT by an inverse DFT to
     * round (n20 * 11000 / rate) points (220 at 22.05 kHz) on the time
     * axis of the padded buffer (period len20 * 11000 / rate points), so
     * they start in the padding and stop short of the frame's end; only
     * bins below half that count contribute (4.7 kHz) */
    guint nout = (guint) lrint (s->n20 * 11000.0 / s->rate);
    guint kmax = MIN (s->len20, nout) & ~1u;
    gdouble nd = s->len20 * 11000.0 / s->rate;
    s->lpc_fs = (gdouble) s->rate * nout / s->n20;
    s->lpc_nb = MIN (kmax / 2, s->nb20);
    s->lpc_nout = nout;
    /* one row per output sample, interleaved like the spectrum (re, im):
     * cos, -sin; a dot product with the spectrum gives the sample */
    s->lpc_rc = g_new (gfloat, (gsize) nout * 2 * s->lpc_nb);
    s->lpc_y = g_new (gfloat, nout);
    s->os_db = g_new (gfloat, s->nb20);
    for (i = 0; i < nout; i++)
      for (k = 0; k < s->lpc_nb; k++) {
        gdouble ph = 2.0 * G_PI * ((gdouble) k * i) / nd;
        s->lpc_rc[(gsize) i * 2 * s->lpc_nb + 2 * k] = (gfloat) cos (ph);
        s->lpc_rc[(gsize) i * 2 * s->lpc_nb + 2 * k + 1] =
            k ? (gfloat) - sin (ph) : 0.0f;
      }
  }
  s->lpc_cos = g_new (gfloat, s->lpc_nb * (LPC_ORDER + 1));
  for (k = 0; k < s->lpc_nb; k++)
    for (m = 0; m <= LPC_ORDER; m++)
      s->lpc_cos[k * (LPC_ORDER + 1) + m] = (k == 0 ? 0.5f : 1.0f) *
          cosf (2.0f * G_PI * k * s->df20 * m / s->lpc_fs);
}

EmoEgemapsLld *
emo_egemaps_lld_new (guint rate, GError ** error)
{
  return emo_egemaps_lld_new_full (rate, EMO_LLD_OPENSMILE,
      EMO_LLD_OPENSMILE_LAG, error);
}

EmoLldVariant
emo_egemaps_lld_variant (const EmoEgemapsLld * s)
{
  return s->variant;
}

EmoEgemapsLld *
emo_egemaps_lld_new_full (guint rate, EmoLldVariant variant, guint lag,
    GError ** error)
{
  EmoEgemapsLld *s;
  guint i, m;
  gfloat sumw2;

  if (rate < 8000 || rate > 192000) {
    g_set_error (error, G_NUMBER_PARSER_ERROR,
        G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS,
        "sample rate %u Hz outside 8000..192000", rate);
    return NULL;
  }
  s = g_new0 (EmoEgemapsLld, 1);
  s->variant = variant;
  s->os = variant == EMO_LLD_OPENSMILE;
  s->lag = s->os ? CLAMP (lag, EMO_LLD_OPENSMILE_LAG_MIN, 400) : VIT_LAG;
  s->n_slots = s->lag + 1;
  s->rate = rate;
  s->hop = (rate + 50) / 100;
  if (s->os) {
    /* openSMILE rounds each length to whole samples: round (0.02 * rate),
     * round (0.06 * rate); both frames start at j * hop */
    s->n20 = (2 * rate + 50) / 100;
    s->n60 = (6 * rate + 50) / 100;
    s->pre = 0;
  } else {
    s->n20 = 2 * s->hop;
    s->n60 = 6 * s->hop;
    s->pre = (s->n60 - s->n20) / 2;
  }
  s->buf_cap = s->n60 + 16 * s->hop;
  s->buf = g_new0 (gfloat, s->buf_cap);
  s->slots = g_new0 (Slot, s->n_slots);
  s->path = g_new0 (guint8, s->n_slots);

  /* 20 ms Hamming frame (openSMILE: FFT zero padded to a power of 2) */
  s->len20 = s->os ? next_pow2 (s->n20) : emo_fft_fast_length (s->n20);
  s->pad20 = s->os ? (s->len20 - s->n20) / 2 : 0;
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
  /* one-sided power spectrum that sums to the mean square of the frame;
   * openSMILE uses the raw |X|^2 of its unnormalised FFT */
  s->pscale20 = s->os ? 1.0f : 2.0f / (s->n20 * sumw2);
  s->df20 = (gfloat) rate / s->len20;
  s->k50 = bin_of (50, s->df20, s->nb20);
  s->k500 = bin_of (500, s->df20, s->nb20);
  s->k1000 = bin_of (1000, s->df20, s->nb20);
  s->k1500 = bin_of (1500, s->df20, s->nb20);
  s->k2000 = bin_of (2000, s->df20, s->nb20);
  s->k5000 = bin_of (MIN (SPEC_FMAX, rate / 2.0f), s->df20, s->nb20);
  s->k5500 = bin_of (MIN (LPC_FS / 2, rate / 2.0f), s->df20, s->nb20);

  init_mel_lpc (s);

  /* 60 ms Gaussian frame (sigma 0.4), zero padded so that the ACF is
   * linear (no wrap-around) up to the longest pitch period */
  s->len60 = s->os ? next_pow2 (s->n60) :
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
  if (s->os)
    os_init (s);
  for (i = 0; i < s->n_slots; i++) {
    s->slots[i].mag60 = g_new0 (gfloat, s->nb60);
    s->slots[i].racf = g_new0 (gfloat, s->max_lag + 2);
    s->slots[i].x60 = g_new0 (gfloat, s->n60);
    s->slots[i].pow20 = g_new0 (gfloat, s->nb20);
    s->slots[i].spec20c = g_new0 (gfloat, 2 * s->nb20);
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
  for (i = 0; i < s->n_slots; i++) {
    g_free (s->slots[i].mag60);
    g_free (s->slots[i].racf);
    g_free (s->slots[i].x60);
    g_free (s->slots[i].pow20);
    g_free (s->slots[i].spec20c);
  }
  g_free (s->slots);
  g_free (s->path);
  g_free (s->os_chan);
  g_free (s->os_melw);
  g_free (s->os_ft);
  g_free (s->os_sp);
  g_free (s->os_sq);
  g_free (s->os_sig);
  g_free (s->os_d1);
  g_free (s->os_d2);
  g_free (s->os_y);
  g_free (s->os_y2);
  g_free (s->os_u);
  g_free (s->os_klo);
  g_free (s->os_coef);
  g_free (s->os_audw);
  g_free (s->os_ss);
  g_free (s->os_oct);
  g_free (s->os_acf);
  g_free (s->os_paths[0]);
  g_free (s->os_paths[1]);
  g_free (s->os_best);
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
  g_free (s->lpc_rc);
  g_free (s->lpc_y);
  g_free (s->os_db);
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
  s->os_pathidx = 0;
  s->os_convidx = -1;
  s->os_pathbuf = 0;
  s->os_last_change = 1.0;      /* openSMILE's initial value */
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
  /* openSMILE variant: frame j is decided at the latest when frame j + lag
   * has been analysed; smoothing needs one frame more */
  if (s->os)
    return (s->lag + 1) * s->hop + s->n60 - s->hop;
  return VIT_LAG * s->hop + s->n60 - s->pre;
}

guint64
emo_egemaps_lld_lookahead_ns (guint rate, EmoLldVariant variant, guint lag)
{
  guint64 r = MAX (rate, 1), hop = (r + 50) / 100, smp;

  if (variant == EMO_LLD_OPENSMILE) {
    lag = CLAMP (lag, EMO_LLD_OPENSMILE_LAG_MIN, 400);
    smp = lag * hop + (6 * r + 50) / 100;
  } else {
    /* n60 - pre = 6 hop - 2 hop */
    smp = (VIT_LAG + 4) * hop;
  }
  return smp * G_GUINT64_CONSTANT (1000000000) / r;
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

/* openSMILE variant of the 20 ms descriptors from the raw power spectrum
 * p (|X|^2 of the unnormalised, power-of-2 FFT): its mel bank, PLP
 * loudness (its equal-loudness curve, compression 0.33, sum over bands),
 * MFCC with HTK's sample scale (power x 32767^2, log floor 1), alpha ratio
 * and Hammarberg index over bins up to 5 kHz (DC included), flux as the
 * RMS difference of successive magnitude spectra over 0..5 kHz. */
static void
os_spectral (EmoEgemapsLld * s, const gfloat * p, Slot * slot)
{
  gdouble band[N_MEL], loud = 0, lo = 0, hi = 0, mlo = 0, mhi = 0, fl = 0;
  gfloat mel[N_MEL];
  guint n, b, i, nflux = 0;

  memset (band, 0, sizeof (band));
  for (n = s->os_nlo; n < s->os_nhi; n++) {
    gint m = s->os_chan[n];
    gdouble a = (gdouble) p[n] * s->os_melw[n];
    if (m <= -2)
      continue;
    if (m > -1)
      band[m] += a;
    if (m < N_MEL - 1)
      band[m + 1] += p[n] - a;
  }
  for (b = 0; b < N_MEL; b++) {
    /* PLP's floor on the band energies before weighting */
    gdouble e = MAX (band[b], 9.3e-10) * s->os_eql[b];
    loud += e > 0 ? pow (e, LOUDNESS_COMPRESSION) : 0.0;
    mel[b] = (gfloat) log (MAX (band[b] * 32767.0 * 32767.0, 1.0));
  }
  /* its "ll1" operation: the sum divided by the number of bands */
  slot->raw[EMO_LLD_LOUDNESS] = (gfloat) (loud / N_MEL);
  for (i = 0; i < 4; i++) {
    gfloat c = 0;
    for (b = 0; b < N_MEL; b++)
      c += s->dct[i][b] * mel[b];
    slot->raw[EMO_LLD_MFCC1 + i] = c;
  }
  for (n = 0; n < s->nb20 && n * s->df20 <= 5000.0f; n++) {
    gfloat f = n * s->df20;
    if (f < 1000.0f)
      lo += p[n];
    else
      hi += p[n];
    if (f < 2000.0f)
      mlo = MAX (mlo, p[n]);
    else
      mhi = MAX (mhi, p[n]);
  }
  slot->raw[EMO_LLD_ALPHA_RATIO] = lo > 0 ? (gfloat) (10.0 *
      log10 (MAX (hi, 1e-14) / lo)) : 0.0f;
  slot->raw[EMO_LLD_HAMMARBERG] = mhi > 0 ? (gfloat) (10.0 *
      log10 (MAX (mlo, 1e-14) / mhi)) : 0.0f;
  for (n = 0; n < s->nb20 && n * s->df20 < 5000.0f; n++) {
    gfloat m = sqrtf (p[n]), d = m - s->mag_prev[n];
    fl += (gdouble) d *d;
    s->mag_cur[n] = m;
    nflux++;
  }
  slot->raw[EMO_LLD_SPECTRAL_FLUX] = s->have_prev_mag && nflux ?
      (gfloat) sqrt (fl / nflux) : 0.0f;
  memcpy (s->mag_prev, s->mag_cur, nflux * sizeof (gfloat));
  s->have_prev_mag = TRUE;
}

/* openSMILE's log-spectral slope over [lo, hi] Hz: the edge bins enter
 * with interpolation weights (the lower one squared as a whole into the
 * sum of squares) and the point count is the index span, not the number
 * of bins; reproduced as it computes it. */
static gfloat
os_band_slope (const EmoEgemapsLld * s, const gfloat * y, gdouble lo,
    gdouble hi)
{
  gdouble df = s->df20, wl, wr, idxl, idxr, sf, s2f, sa, sb, n, den;
  guint nb = s->nb20, i, il, ir;

  for (i = 0; i < nb && i * df <= lo; i++);
  wl = (i < nb && i > 0) ? (i * df - lo) / df : 1.0;
  idxl = i > 0 ? i - 1.0 : 0.0;
  for (i = 0; i < nb && i * df < hi; i++);
  wr = (i < nb && i > 0) ? (hi - (i - 1) * df) / df : 1.0;
  idxr = (i < nb && i * df == hi) ? i : i - 1.0;
  idxr = MIN (idxr, nb - 1.0);
  if (wl == 0.0)
    wl = 1.0;
  if (wr == 0.0)
    wr = 1.0;
  il = (guint) idxl;
  ir = (guint) idxr;
  n = idxr - idxl;
  sf = il * df * wl;
  s2f = sf * sf;
  sa = il * df * wl * y[il];
  sb = wl * y[il];
  for (i = il + 1; i < ir; i++) {
    s2f += (i * df) * (i * df);
    sf += i * df;
    sa += i * df * y[i];
    sb += y[i];
  }
  s2f += (ir * df * wr) * (ir * df * wr);
  sf += ir * df * wr;
  sa += ir * df * wr * y[ir];
  sb += wr * y[ir];
  den = n * s2f - sf * sf;
  return den != 0.0 ? (gfloat) ((n * sa - sf * sb) / den) : 0.0f;
}

static void
analyse_spectral (EmoEgemapsLld * s, const gfloat * x, Slot * slot)
{
  gfloat *p = slot->pow20, *db = s->os ? s->os_db : s->tmp20;   /* tmp20 reused after the FFT (v1) */
  gfloat mel[N_MEL], lo, hi, mlo, mhi, e, loud, tot, norm, flux;
  guint i, k, b;

  {
    gfloat ew;
    /* openSMILE centres the frame in its zero padding (only the phase
     * differs, which its LPC resampling sees) */
    window_frame (s->tmp20 + s->pad20, x, s->win20, s->n20, &e, &ew);
  }
  /* tmp20[n20..len20) stays zero: the dB scratch use stays below 1.5 kHz */
  slot->energy = e / s->n20;
  emo_fft_forward (s->fft20, s->tmp20, s->spec20);
  for (k = 0; k < s->nb20; k++) {
    gfloat re = s->spec20[2 * k], im = s->spec20[2 * k + 1];
    p[k] = (re * re + im * im) * s->pscale20;
  }
  if (s->os) {
    memcpy (slot->spec20c, s->spec20, 2 * s->nb20 * sizeof (gfloat));
    /* the dB spectrum for the slopes, floored as openSMILE's (1e-7)^2 */
    for (k = 0; k <= MIN (s->k1500 + 1, s->nb20 - 1); k++)
      db[k] = p[k] > 1e-14f ? 10.0f * log10f (p[k]) : -140.0f;
    os_spectral (s, p, slot);
    slot->raw[EMO_LLD_SLOPE_0_500] = os_band_slope (s, db, 0, 500);
    slot->raw[EMO_LLD_SLOPE_500_1500] = os_band_slope (s, db, 500, 1500);
    return;
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

/* sum of a[i] * b[i], four lanes at a time */
static gfloat
dot (const gfloat * restrict a, const gfloat * restrict b, guint n)
{
  v4f acc = { 0, 0, 0, 0 };
  gfloat r;
  guint i = 0;

  for (; i + 4 <= n; i += 4) {
    v4f va, vb;
    memcpy (&va, a + i, sizeof (va));
    memcpy (&vb, b + i, sizeof (vb));
    acc += va * vb;
  }
  r = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  for (; i < n; i++)
    r += a[i] * b[i];
  return r;
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
  const Slot *prev = first ? NULL : &s->slots[(s->next_frame - 1) % s->n_slots];
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

/* ---- openSMILE variant: pitch by subharmonic summation ---- */

/* The vertex of the parabola through three points (openSMILE's
 * quadFrom3pts, including its fall-backs): returns x, the value in @y. */
static gdouble
quad3 (gdouble x1, gdouble y1, gdouble x2, gdouble y2, gdouble x3, gdouble y3,
    gdouble * y)
{
  gdouble den = x1 * x1 * x2 + x2 * x2 * x3 + x3 * x3 * x1 - x3 * x3 * x2 -
      x2 * x2 * x1 - x1 * x1 * x3;

  if (den != 0.0) {
    gdouble a = (y1 * x2 + y2 * x3 + y3 * x1 - y3 * x2 - y2 * x1 - y1 * x3) /
        den;
    gdouble b = (x1 * x1 * y2 + x2 * x2 * y3 + x3 * x3 * y1 - x3 * x3 * y2 -
        x2 * x2 * y1 - x1 * x1 * y3) / den;
    gdouble c = (x1 * x1 * x2 * y3 + x2 * x2 * x3 * y1 + x3 * x3 * x1 * y2 -
        x3 * x3 * x2 * y1 - x2 * x2 * x1 * y3 - x1 * x1 * x3 * y2) / den;
    if (a != 0.0) {
      gdouble x = -b / (2.0 * a);
      *y = c - a * x * x;
      return x;
    }
  }
  if (y1 > y2 && y1 > y3) {
    *y = y1;
    return x1;
  } else if (y2 > y1 && y2 > y3) {
    *y = y2;
    return x2;
  } else if (y3 > y1 && y3 > y2) {
    *y = y3;
    return x3;
  }
  *y = y1;
  return x1;
}

/* The magnitude spectrum on openSMILE's octave scale: peaks enhanced (all
 * bins more than 2 bins away from a local maximum, between two maxima, set
 * to 0), smoothed (1-2-1), natural cubic spline through (log2 f, |X|),
 * auditory weighting, negative values 0. */
static void
os_octave_spectrum (EmoEgemapsLld * s, const gfloat * mag)
{
  guint n = s->os_nmag, i;
  gint prev_max = -1;
  gdouble *y = s->os_y, *y2 = s->os_y2, *u = s->os_u, aim1 = 0;

  for (i = 0; i < n; i++)
    y[i] = mag[i];
  /* enhancement: zero the valleys between successive maxima */
  if (n >= 2) {
    guint n_max = 0;
    if (y[0] > y[1]) {
      prev_max = 0;
      n_max++;
    }
    for (i = 1; i <= n - 1; i++) {
      gboolean is_max = i < n - 1 ? (y[i] > y[i - 1] && y[i] >= y[i + 1]) :
          (y[i] > y[i - 1]);
      if (!is_max)
        continue;
      if (prev_max >= 0) {
        gint j;
        for (j = prev_max + 3; j <= (gint) i - 3; j++)
          y[j] = 0;
      }
      prev_max = (gint) i;
      n_max++;
    }
    /* openSMILE reads the second slot of its maxima list when there is
     * only one maximum (an unset 0): everything from bin 3 on is zeroed */
    if (n_max == 1)
      for (i = 3; i < n; i++)
        y[i] = 0;
  }
  for (i = 0; i + 1 < n; i++) {
    gdouble ai = y[i];
    y[i] = (aim1 + 2.0 * ai + y[i + 1]) / 4.0;
    aim1 = ai;
  }
  /* natural cubic spline: second derivatives */
  u[0] = 0;
  for (i = 1; i + 1 < n; i++) {
    gdouble ut = (y[i + 1] - y[i]) * s->os_d1[i] - (y[i] - y[i - 1]) *
        s->os_d2[i];
    u[i] = s->os_sp[i] * (6.0 * ut - s->os_sig[i] * u[i - 1]);
  }
  y2[n - 1] = 0;
  for (i = n - 1; i-- > 0;)
    y2[i] = (i ? s->os_sq[i] : 0.0) * y2[i + 1] + u[i];
  for (i = 0; i < n; i++) {
    const gdouble *c = s->os_coef + 4 * i;
    gint k = s->os_klo[i];
    gdouble v = c[0] * y[k] + c[1] * y[k + 1] + c[2] * y2[k] + c[3] * y2[k + 1];
    s->os_oct[i] = v > 0 ? (gfloat) (v * s->os_audw[i]) : 0.0f;
  }
}

/* Subharmonic summation on the octave-scale spectrum; the six strongest
 * peaks refined by a parabola, voicing 1 - mean/score; candidates outside
 * 55..1000 Hz removed (as openSMILE's pitch base does, shifting the rest);
 * the best-scoring candidate first. */
static void
os_shs (EmoEgemapsLld * s, Slot * slot)
{
  guint n = s->os_nmag, h, j, c;
  gfloat *ss = s->os_ss, *in = s->os_oct;
  gfloat f0c[OS_NCAND], sc[OS_NCAND], vc[OS_NCAND], scale = SHS_COMP;
  gdouble mean;
  gint nc = 0, i;

  memcpy (ss, in, n * sizeof (gfloat));
  for (h = 1; h < SHS_NH; h++) {
    guint sh = s->os_shift[h];
    if (sh < n)
      axpy (ss, in + sh, scale, n - sh);
    scale *= SHS_COMP;
  }
  for (j = 0; j < n; j++) {
    ss[j] /= SHS_NH;
    if (ss[j] < 0)
      ss[j] = 0;
  }
  for (c = 0; c < OS_NCAND; c++)
    f0c[c] = sc[c] = vc[c] = 0;
  mean = ss[0];
  for (j = 1; j + 1 < n; j++) {
    if (ss[j - 1] < ss[j] && ss[j] > ss[j + 1]) {
      for (c = 0; c < OS_NCAND; c++) {
        if (sc[c] == 0.0f || sc[c] < ss[j]) {
          guint cc;
          for (cc = OS_NCAND - 1; cc > c; cc--) {
            sc[cc] = sc[cc - 1];
            f0c[cc] = f0c[cc - 1];
          }
          f0c[c] = (gfloat) j;
          sc[c] = ss[j];
          if (nc < OS_NCAND)
            nc++;
          break;
        }
      }
    }
    mean += ss[j];
  }
  mean = (mean + ss[n - 1]) / n;
  for (i = 0; i < nc; i++) {
    guint k = (guint) f0c[i];
    gdouble y, x = quad3 ((k - 1.0) * s->os_fstept + s->os_fmint, ss[k - 1],
        k * s->os_fstept + s->os_fmint, ss[k],
        (k + 1.0) * s->os_fstept + s->os_fmint, ss[k + 1], &y);
    f0c[i] = (gfloat) exp2 (x);
    sc[i] = (gfloat) y;
    vc[i] = (y > 0.0 && y > mean) ? (gfloat) (1.0 - mean / y) : 0.0f;
  }
  /* range check with openSMILE's shifting (and its counting) */
  for (i = 0; i < OS_NCAND && nc > 0; i++) {
    if (f0c[i] > F0_MAX || f0c[i] < F0_MIN) {
      gfloat orig = f0c[i];
      for (j = i + 1; j < OS_NCAND; j++) {
        f0c[j - 1] = f0c[j];
        vc[j - 1] = vc[j];
        sc[j - 1] = sc[j];
      }
      f0c[OS_NCAND - 1] = vc[OS_NCAND - 1] = sc[OS_NCAND - 1] = 0;
      if (orig > 0.0f) {
        nc--;
        i--;
      }
    }
  }
  {
    guint mx = 0;
    for (c = 1; c < OS_NCAND; c++)
      if (sc[c] > sc[mx])
        mx = c;
    if (mx > 0) {
      gfloat t;
      t = f0c[0], f0c[0] = f0c[mx], f0c[mx] = t;
      t = vc[0], vc[0] = vc[mx], vc[mx] = t;
    }
  }
  memcpy (slot->os_f0, f0c, sizeof (f0c));
  memcpy (slot->os_v, vc, sizeof (vc));
}

static void
analyse_pitch_os (EmoEgemapsLld * s, const gfloat * x, Slot * slot)
{
  gfloat e = 0, ex;
  guint k;

  memcpy (slot->x60, x, s->n60 * sizeof (gfloat));
  window_frame (s->tmp60, x, s->win60, s->n60, &ex, &e);
  slot->rms60 = sqrtf (e / s->n60);
  emo_fft_forward (s->fft60, s->tmp60, s->spec60);
  for (k = 0; k < s->nb60; k++) {
    gfloat re = s->spec60[2 * k], im = s->spec60[2 * k + 1];
    slot->mag60[k] = sqrtf (re * re + im * im);
  }
  os_octave_spectrum (s, slot->mag60);
  os_shs (s, slot);
}

/* ---- openSMILE variant: its Viterbi pitch smoother ---- */

static gdouble
os_range_weight (gfloat f)
{
  if (f > 0 && f < 100)
    return 1.0 - f / 100.0;
  if (f >= 100 && f < 350)
    return 0.0;
  if (f >= 350 && f < 600)
    return (f - 350.0) / 250.0;
  if (f >= 600)
    return 1.2;
  return 2.0;
}

static gdouble
os_local_cost (const Slot * f, guint i)
{
  guint j;

  if (i < OS_NCAND) {
    gdouble pv = CLAMP (f->os_v[i], 0.01, 1.0);
    gdouble thr = pv < OS_VOICING_CUTOFF ? OS_W_THR : 0.0;
    return (-log (pv) + thr) * OS_W_LOCAL + os_range_weight (f->os_f0[i]) *
        OS_W_RANGE;
  }
  for (j = 0; j < OS_NCAND; j++)
    if (f->os_v[j] >= OS_VOICING_CUTOFF)
      return OS_W_LOCAL * OS_W_THR;
  return 0.0;
}

/* Transition from state @j of the previous frame to state @i of this one.
 * openSMILE keeps the last log-F0 change in one variable that every
 * evaluation overwrites, in this loop order; reproduced as it is. */
static gdouble
os_trans_cost (EmoEgemapsLld * s, guint i, guint j, const Slot * a,
    const Slot * b)
{
  if (i < OS_NCAND && j < OS_NCAND) {
    gfloat f0 = a->os_f0[j], f1 = b->os_f0[i];
    gdouble r, x;
    if (f0 == 0 || f1 == 0)
      return 999.0;
    r = log ((gdouble) (f1 / f0));
    x = OS_W_TVV * fabs (r) + OS_W_TVVD * fabs (r - s->os_last_change);
    s->os_last_change = r;
    return x;
  }
  if (i < OS_NCAND || j < OS_NCAND) {
    s->os_last_change = 0.0;
    return OS_W_TVUV;
  }
  return OS_T_UU;
}

static void decide (EmoEgemapsLld * s, guint state, EmoLldFrameFunc func,
    gpointer user_data);

/* One trellis step for the frame just analysed; frames on which all
 * surviving paths agree (or that fall @lag frames behind) are decided. */
static void
os_viterbi_add (EmoEgemapsLld * s, Slot * cur, EmoLldFrameFunc func,
    gpointer user_data)
{
  guint L = s->lag, i, j;
  gint *pb = s->os_paths[s->os_pathbuf];
  gint64 n;

  if (s->os_pathidx == 0) {
    for (i = 0; i < OS_NSTATES; i++) {
      s->os_cost[i] = os_local_cost (cur, i);
      pb[i * L] = (gint) i;
    }
  } else {
    const Slot *prev = &s->slots[(s->next_frame - 1) % s->n_slots];
    gint nb = (s->os_pathbuf + 1) % 2;
    gint *pn = s->os_paths[nb];
    gdouble mn = G_MAXDOUBLE;
    for (i = 0; i < OS_NSTATES; i++) {
      guint ms = 0;
      gdouble best = os_trans_cost (s, i, 0, prev, cur) + s->os_cost[0];
      for (j = 1; j < OS_NSTATES; j++) {
        gdouble t = os_trans_cost (s, i, j, prev, cur) + s->os_cost[j];
        if (t < best) {
          ms = j;
          best = t;
        }
      }
      s->os_cost_new[i] = best + os_local_cost (cur, i);
      memcpy (pn + i * L, pb + ms * L, L * sizeof (gint));
      pn[i * L + s->os_pathidx % L] = (gint) i;
    }
    /* costs only compare with each other: keep them small */
    for (i = 0; i < OS_NSTATES; i++)
      mn = MIN (mn, s->os_cost_new[i]);
    for (i = 0; i < OS_NSTATES; i++)
      s->os_cost[i] = s->os_cost_new[i] - mn;
    s->os_pathbuf = nb;
    pb = pn;
  }
  s->os_pathidx++;
  if (s->os_pathidx - s->os_convidx > (gint64) L) {
    guint ms = 0;
    for (i = 1; i < OS_NSTATES; i++)
      if (s->os_cost[i] < s->os_cost[ms])
        ms = i;
    s->os_convidx++;
    s->os_best[s->os_convidx % L] = pb[ms * L + s->os_convidx % L];
  } else {
    for (n = s->os_convidx + 1; n < s->os_pathidx; n++) {
      gint x = pb[n % L];
      gboolean match = TRUE;
      for (i = 1; i < OS_NSTATES && match; i++)
        match = pb[i * L + n % L] == x;
      if (!match)
        break;
      s->os_convidx++;
      s->os_best[s->os_convidx % L] = x;
    }
  }
  while ((gint64) s->next_decide <= s->os_convidx)
    decide (s, (guint) s->os_best[s->next_decide % L], func, user_data);
}

/* End of stream: the rest follows the cheapest path. */
static void
os_viterbi_flush (EmoEgemapsLld * s, EmoLldFrameFunc func, gpointer user_data)
{
  guint L = s->lag, i, ms = 0;
  const gint *pb = s->os_paths[s->os_pathbuf];

  if (s->os_pathidx == 0)
    return;
  for (i = 1; i < OS_NSTATES; i++)
    if (s->os_cost[i] < s->os_cost[ms])
      ms = i;
  while (s->os_convidx + 1 < s->os_pathidx) {
    s->os_convidx++;
    s->os_best[s->os_convidx % L] = pb[ms * L + s->os_convidx % L];
  }
  while ((gint64) s->next_decide <= s->os_convidx)
    decide (s, (guint) s->os_best[s->next_decide % L], func, user_data);
}

/* ---- openSMILE variant: harmonics, HNR ---- */

typedef struct
{
  gint bin;
  gfloat mag, mag_i, freq_i, logrel;
} OsHarm;

#define OS_NHARM 100

static gint
os_freq_bin (const EmoEgemapsLld * s, gfloat f, gint start)
{
  gfloat df = (gfloat) s->rate / s->len60;
  gint b;

  for (b = MAX (start, 1); b < (gint) s->nb60; b++) {
    if (b * df > f)
      return (b * df - f > f - (b - 1) * df) ? b - 1 : b;
  }
  return 0;
}

static gboolean
os_is_peak (const gfloat * x, gint n, gint i)
{
  if (i >= n || i < 0)
    return FALSE;
  if (i + 1 < n)
    return i > 0 ? (x[i] > x[i - 1] && x[i] > x[i + 1]) : x[0] > x[1];
  return i > 0 && x[i] > x[i - 1];
}

/* openSMILE's harmonic peak search on the 60 ms magnitude spectrum and
 * its magnitudes relative to H1 in dB (-200 floor, -201 for duplicates). */
static void
os_harmonics (const EmoEgemapsLld * s, const gfloat * mag, gfloat f0,
    OsHarm * h, guint n_harm)
{
  gfloat df = (gfloat) s->rate / s->len60;
  gint nb = (gint) s->nb60, last, first, i;
  gfloat m0;

  last = os_freq_bin (s, 0.5f * f0, 1);
  first = os_freq_bin (s, 0.5f * f0, last);
  for (i = 0; i < (gint) n_harm; i++) {
    gint cand = os_freq_bin (s, (i + 1) * f0, last), peak = -1;
    if (os_is_peak (mag, nb, cand)) {
      peak = cand;
    } else {
      gint l = cand - 1, r = cand + 1;
      gint lo = os_freq_bin (s, (i + 0.5f) * f0, last);
      gint hi = os_freq_bin (s, (i + 1.5f) * f0, cand);
      while ((l >= lo || r <= hi) && peak == -1) {
        if (r <= hi) {
          if (os_is_peak (mag, nb, r)) {
            peak = r;
            break;
          }
          r++;
        }
        if (l >= lo) {
          if (os_is_peak (mag, nb, l)) {
            peak = l;
            break;
          }
          l--;
        }
      }
    }
    if (peak >= first && peak < nb - 1) {
      gdouble y, x = quad3 ((peak - 1) * df, mag[peak - 1], peak * df,
          mag[peak], (peak + 1) * df, mag[peak + 1], &y);
      h[i].bin = peak;
      h[i].mag = mag[peak];
      h[i].freq_i = (gfloat) x;
      h[i].mag_i = (gfloat) y;
    } else {
      h[i].bin = cand;
      h[i].mag = h[i].mag_i = h[i].freq_i = 0;
    }
    last = cand;
  }
  m0 = h[0].mag;
  h[0].logrel = 0;
  for (i = 1; i < (gint) n_harm; i++) {
    if (m0 != 0)
      h[i].logrel = h[i].mag_i > 0 ? MAX ((gfloat) (20.0 * (log10 (h[i].mag_i)
                  - log10 (m0))), -200.0f) : -200.0f;
    else
      h[i].logrel = -201.0f;
    if (h[i].bin == h[i - 1].bin) {
      h[i].bin = 0;
      h[i].mag = h[i].mag_i = h[i].freq_i = 0;
      h[i].logrel = -201.0f;
    }
  }
}

/* The strongest harmonic within 0.8..1.2 x the formant frequency, -1 if none */
static gint
os_formant_harmonic (const OsHarm * h, guint n_harm, gfloat fc)
{
  gfloat lo = 0.8f * fc, hi = 1.2f * fc, mx = 0;
  gint i, best = -1;

  for (i = 0; i < (gint) n_harm; i++)
    if (h[i].freq_i >= lo && h[i].freq_i <= hi && h[i].mag > mx) {
      best = i;
      mx = h[i].mag;
    }
  return best;
}

/* HNR from the circular autocorrelation of the 60 ms power spectrum at the
 * peak nearest to the pitch period (dB, within -90..110 as openSMILE's) */
static gfloat
os_hnr (EmoEgemapsLld * s, const gfloat * mag, gfloat f0)
{
  gint nb = (gint) s->nb60, t, k, o;
  gfloat *acf = s->os_acf;
  gdouble a0, at, r;

  if (f0 <= 0)
    return 0;
  for (k = 0; k < nb; k++) {
    s->spec60[2 * k] = mag[k] * mag[k];
    s->spec60[2 * k + 1] = 0;
  }
  emo_fft_inverse (s->fft60, s->spec60, acf);
  for (k = 0; k < nb; k++)
    acf[k] = fabsf (acf[k]);
  t = (gint) floor ((gdouble) s->rate / f0);
  if (t <= 0)
    return 0;
  if (!os_is_peak (acf, nb, t)) {
    gint found = -1;
    for (o = 1; (t - o > 0 || t + o < nb - 1) && found < 0; o++) {
      if (t - o > 0 && os_is_peak (acf, nb, t - o))
        found = t - o;
      else if (t + o < nb - 1 && os_is_peak (acf, nb, t + o))
        found = t + o;
    }
    if (found >= 0)
      t = found;
    else if (acf[0] > acf[t] && acf[nb - 1] <= acf[t])
      t = 0;
    else if (acf[0] <= acf[t] && acf[nb - 1] > acf[t])
      t = nb - 1;
    else if (acf[0] > acf[t] && acf[nb - 1] > acf[t])
      t = t < nb / 2 ? 0 : nb - 1;
  }
  if (t <= 0)
    return 0;
  a0 = acf[0];
  at = acf[t];
  r = a0 - at;
  r = r == 0.0 ? 10e10 : at / r;
  if (r > 10e10)
    return (gfloat) (10.0 * log10 (10e10));
  if (r < 10e-10)
    return (gfloat) (10.0 * log10 (10e-10));
  return (gfloat) (10.0 * log10 (r));
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
  if (s->os) {
    /* openSMILE: the frame resampled by an inverse DFT of its lowest bins,
     * then the linear autocorrelation of those lpc_nout samples */
    guint nout = s->lpc_nout, n2 = 2 * s->lpc_nb;
    for (i = 0; i < nout; i++)
      s->lpc_y[i] = dot (s->lpc_rc + (gsize) i * n2, p, n2);
    for (m = 0; m <= LPC_ORDER; m++)
      for (i = m; i < nout; i++)
        r[m] += (gdouble) s->lpc_y[i] * s->lpc_y[i - m];
  } else {
    for (k = 0; k < s->lpc_nb; k++) {
      const gfloat *c = s->lpc_cos + k * (LPC_ORDER + 1);
      for (m = 0; m <= LPC_ORDER; m++)
        r[m] += (gdouble) p[k] * c[m];
    }
  }
  if (!(r[0] > 1e-14))
    return 0;
  if (!s->os)
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
  /* openSMILE hands its root finder the predictor coefficients with their
   * signs flipped (z^p - a1 z^(p-1) - ... - ap): eGeMAPS's formants are
   * that polynomial's roots, broad ones included */
  if (s->os)
    for (i = 1; i <= LPC_ORDER; i++)
      a[i] = -a[i];
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
    if (s->os && mag > 1.0)
      mag = 1.0 / mag;
    f = fabs (carg (z[i])) * s->lpc_fs / (2 * G_PI);
    b = -log (mag) * s->lpc_fs / G_PI;
    if (f < FORMANT_MIN || f > FORMANT_MAX || b <= 0)
      continue;
    /* openSMILE reflects roots into the unit circle and keeps any
     * bandwidth; ours drops wide ones (the spectral tilt) */
    if (!s->os && b > FORMANT_MAX_BW)
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

  /* openSMILE's smoother sees the edge frame repeated beyond the ends */
  if (s->os) {
    if (!prev)
      prev = cur;
    if (!next)
      next = cur;
  }

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
  /* the voiced / unvoiced selections of the spectral LLDs, smoothed over
   * non-zero neighbours (openSMILE selects, then smooths) */
  for (i = 0; i < EMO_LLD_N_SPEC_V + EMO_LLD_N_SPEC_UV; i++) {
    gboolean v = i < EMO_LLD_N_SPEC_V;
    guint k = v ? i : i - EMO_LLD_N_SPEC_V;
    const gfloat *c = v ? cur->sv : cur->su;
    gfloat acc = c[k], *o = v ? &out.sv[k] : &out.su[k];
    guint n = 1;
    if (acc == 0) {
      *o = 0;
      continue;
    }
    if (prev && (v ? prev->sv[k] : prev->su[k]) != 0) {
      acc += v ? prev->sv[k] : prev->su[k];
      n++;
    }
    if (next && (v ? next->sv[k] : next->su[k]) != 0) {
      acc += v ? next->sv[k] : next->su[k];
      n++;
    }
    *o = isfinite (acc / n) ? acc / n : 0.0f;
  }
  out.f0_hz = cur->f0_hz;
  out.energy = isfinite (cur->energy) ? cur->energy : 0;
  out.voiced = cur->voiced;
  func (s->n_emitted++, &out, user_data);
}

/* openSMILE variant of a decided frame's voice descriptors. Unvoiced
 * frames carry its placeholders: formant amplitudes -201 dB (which its
 * functionals then count, being non-zero), everything else 0. */
static void
decide_os (EmoEgemapsLld * s, Slot * slot, gfloat f0, RawFrame * cur)
{
  OsHarm h[OS_NHARM];
  gfloat fq[3], fbw[3];
  guint i, n, nh;
  gint a3;

  if (f0 <= 0) {
    for (i = 0; i < 3; i++)
      cur->v[EMO_LLD_F1_AMP + 3 * i] = -201.0f;
    return;
  }
  cur->v[EMO_LLD_F0_SEMITONE] = f0 > 29.136f ? 12.0f * log2f (f0 / 27.5f) :
      1.0f;
  jitter_shimmer (s, slot->x60, f0, &cur->v[EMO_LLD_JITTER],
      &cur->v[EMO_LLD_SHIMMER_DB]);
  cur->v[EMO_LLD_HNR_DB] = os_hnr (s, slot->mag60, f0);
  n = lpc_formants (s, slot->spec20c, fq, fbw);
  for (i = n; i < 3; i++)
    fq[i] = fbw[i] = 0;
  /* openSMILE searches 100 harmonics; only those up to 1.2 x F3 (and the
   * first three) are ever read, and each depends on the ones below only */
  nh = MIN (OS_NHARM, MAX (3, (guint) (1.2f * MAX (fq[1], fq[2]) / f0) + 2));
  os_harmonics (s, slot->mag60, f0, h, nh);
  /* openSMILE parses "H1-H2" as indices 1 and 2 of its harmonics array,
   * whose index 0 is F0: what eGeMAPS calls H1-H2 is the 2nd harmonic
   * against the 3rd, and H1-A3 the 2nd against F3's strongest harmonic */
  cur->v[EMO_LLD_H1_H2] = CLAMP (h[1].logrel - h[2].logrel, -201.0f, 201.0f);
  for (i = 0; i < 3; i++) {
    gint k = os_formant_harmonic (h, nh, fq[i]);
    cur->v[EMO_LLD_F1_FREQ + 3 * i] = fq[i];
    cur->v[EMO_LLD_F1_BW + 3 * i] = fbw[i];
    cur->v[EMO_LLD_F1_AMP + 3 * i] = k >= 0 ? h[k].logrel : 0.0f;
  }
  a3 = os_formant_harmonic (h, nh, fq[2]);
  cur->v[EMO_LLD_H1_A3] = CLAMP (h[1].logrel - (a3 >= 0 ? h[a3].logrel :
          201.0f), -201.0f, 201.0f);
}

/* Frame d got its F0 (0 = unvoiced): finish its descriptors, smooth, emit d-1. */
static void
decide (EmoEgemapsLld * s, guint state, EmoLldFrameFunc func,
    gpointer user_data)
{
  Slot *slot = &s->slots[s->next_decide % s->n_slots];
  RawFrame cur;
  gfloat f0;
  guint i;

  if (s->os) {
    f0 = state < OS_NCAND ? slot->os_f0[state] : 0;
    /* openSMILE zeroes the pitch of frames below its energy gate */
    if (!(slot->rms60 >= OS_ENERGY_GATE))
      f0 = 0;
  } else {
    f0 = state < N_CAND ? slot->cand_hz[state] : 0;
  }

  memcpy (cur.v, slot->raw, sizeof (cur.v));
  for (i = EMO_LLD_FIRST_NZ; i < EMO_LLD_N; i++)
    cur.v[i] = 0;
  cur.energy = slot->energy;
  cur.f0_hz = f0 > 0 ? f0 : 0;
  cur.voiced = f0 > 0;
  for (i = 0; i < EMO_LLD_N_SPEC_V; i++)
    cur.sv[i] = cur.voiced ? slot->raw[EMO_LLD_ALPHA_RATIO + i] : 0.0f;
  for (i = 0; i < EMO_LLD_N_SPEC_UV; i++)
    cur.su[i] = cur.voiced ? 0.0f : slot->raw[EMO_LLD_ALPHA_RATIO + i];
  if (s->os) {
    decide_os (s, slot, f0, &cur);
  } else if (f0 > 0) {
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
  Slot *slot = &s->slots[s->next_frame % s->n_slots];

  analyse_spectral (s, s->buf + s->pre, slot);
  if (s->os) {
    analyse_pitch_os (s, s->buf, slot);
    os_viterbi_add (s, slot, func, user_data);
    s->next_frame++;
    return;
  }
  analyse_pitch (s, s->buf, slot);
  viterbi_step (s, slot, s->next_frame == s->next_decide);
  s->next_frame++;
  if (s->next_frame - s->next_decide > VIT_LAG) {
    guint st = best_state (s);
    guint64 u;
    for (u = s->next_frame - 1; u > s->next_decide; u--)
      st = s->slots[u % s->n_slots].back[st];
    decide (s, st, func, user_data);
  }
}

/* Frame j starts at sample round (j * rate / 100): at rates that are not a
 * multiple of 100 Hz (22050) the step alternates (220, 221) so that frames
 * stay on the 10 ms grid however long the stream. */
static guint64
frame_start (const EmoEgemapsLld * s, guint64 j)
{
  /* openSMILE: a constant step of round (0.01 * rate) samples */
  if (s->os)
    return j * s->hop;
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
  /* openSMILE: frames whose 60 ms window ends at most one step after the
   * last sample (that last one zero padded) */
  if (s->os)
    return n_samples + s->hop >= s->n60 ?
        (n_samples + s->hop - s->n60) / s->hop + 1 : 0;
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
  if (s->os) {
    os_viterbi_flush (s, func, user_data);
  } else if (s->next_decide < s->next_frame) {
    guint st = best_state (s);
    guint64 u;
    guint n = (guint) (s->next_frame - s->next_decide), i;
    for (i = n; i-- > 0;) {
      u = s->next_decide + i;
      s->path[i] = (guint8) st;
      st = s->slots[u % s->n_slots].back[st];
    }
    for (i = 0; i < n; i++)
      decide (s, s->path[i], func, user_data);
  }
  if (s->n_hist >= 1)
    smooth_and_emit (s, s->n_hist >= 2 ? &s->hist[0] : NULL, &s->hist[1], NULL,
        func, user_data);
  emo_egemaps_lld_reset (s);
}
