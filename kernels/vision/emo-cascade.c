/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/* The cascade format, as opencv_traincascade writes it (see
 * docs/visual-features.md for the references):
 *
 *   <opencv_storage><cascade type_id="opencv-cascade-classifier">
 *     <stageType>BOOST</stageType> <featureType>HAAR|LBP</featureType>
 *     <height>H</height> <width>W</width>
 *     <featureParams><maxCatCount>0|256</maxCatCount></featureParams>
 *     <stages><_> <stageThreshold>t</stageThreshold>
 *        <weakClassifiers><_> <internalNodes>...</internalNodes>
 *                             <leafValues>...</leafValues></_> ... </weakClassifiers>
 *     </_> ... </stages>
 *     <features><_> <rects><_>x y w h weight</_>...</rects> <tilted>0</tilted></_>  (HAAR)
 *               <_> <rect>x y w h</rect></_>                                      (LBP)
 *     </features></cascade></opencv_storage>
 *
 * A tilted Haar feature (<tilted>1</tilted>) sums rectangles rotated by 45
 * degrees from the rotated integral image (see emo_integral_compute_tilted).
 *
 * internalNodes holds, per tree node, "left right featureIndex threshold"
 * (Haar) or "left right featureIndex subset[8]" (LBP, 256 categories as
 * a bit set of eight signed 32-bit words). A child index > 0 names another
 * node of the same tree, <= 0 names leaf -index. A window's Haar feature
 * value is sum(weight_i * rectsum_i) / (area * stddev) over the window
 * shrunk by one pixel on each side; a node goes left when value <
 * threshold. An LBP feature is the 8-bit code comparing the centre cell of
 * a 3x3 block of w x h cells with its neighbours (clockwise from the
 * top-left, most significant bit first); a node goes left when the code's
 * bit is set in the subset. A stage rejects when the sum of the reached
 * leaves is below its threshold (OpenCV subtracts 1e-5 when loading). */
#include "vision/emo-cascade.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (emo - cascade - error - quark, emo_cascade_error);

#define LBP_SUBSET_WORDS 8
#define STAGE_THRESHOLD_EPS 1e-5f
#define MAX_WINDOW 512
#define MAX_DEPTH 32
#define MAX_ITEMS (1u << 22)

typedef struct
{
  gint x, y, w, h;
  gfloat weight;
} HaarRect;

typedef struct
{
  gint n_rects;
  HaarRect r[3];
  gboolean tilted;              /* rectangles rotated by 45 degrees */
  /* LBP: block origin and cell size */
  gint lx, ly, lw, lh;
} Feature;

typedef struct
{
  gint left, right, feature;
  gfloat threshold;
} Node;

typedef struct
{
  guint first_node, n_nodes, first_leaf;
} Weak;

typedef struct
{
  guint first_weak, n_weak;
  gfloat threshold;
} Stage;

struct _EmoCascade
{
  EmoCascadeType type;
  gint win_w, win_h;
  guint n_stages, n_weak, n_nodes, n_leaves, n_features;
  Stage *stages;
  Weak *weak;
  Node *nodes;
  gfloat *leaves;
  gint32 *subsets;              /* LBP: LBP_SUBSET_WORDS per node */
  Feature *features;
  gboolean stumps;              /* every tree is a single node */
  gboolean has_tilted;          /* needs the rotated integral image */
};

/* ---- parsing ------------------------------------------------------------ */

typedef struct
{
  gdouble threshold;
  gboolean have_threshold;
  guint first_weak, n_weak;
} PStage;

typedef struct
{
  GArray *nodes;                /* gdouble */
  GArray *leaves;               /* gdouble */
} PWeak;

typedef struct
{
  gint n_rects;
  gdouble r[3][5];
  gint lbp[4];
  gboolean have_lbp, tilted;
} PFeature;

typedef struct
{
  GPtrArray *stack;
  GString *text;
  gboolean in_cascade;
  gchar *stage_type, *feature_type;
  gint width, height, max_cat;
  GArray *stages, *weaks, *features;
  gchar *old_format;
} ParseCtx;

static void
pweak_clear (gpointer p)
{
  PWeak *w = p;
  if (w->nodes)
    g_array_unref (w->nodes);
  if (w->leaves)
    g_array_unref (w->leaves);
}

/* TRUE when the element path below <cascade> equals the given names
 * ("_" is OpenCV's anonymous sequence element). */
static gboolean
rel_is (ParseCtx * ctx, guint n, const gchar * const *names)
{
  guint i;

  if (!ctx->in_cascade || ctx->stack->len != 2 + n)
    return FALSE;
  for (i = 0; i < n; i++)
    if (strcmp (g_ptr_array_index (ctx->stack, 2 + i), names[i]) != 0)
      return FALSE;
  return TRUE;
}

#define REL(ctx, ...) rel_is (ctx, \
    sizeof ((const gchar *[]) { __VA_ARGS__ }) / sizeof (const gchar *), \
    (const gchar *[]) { __VA_ARGS__ })

static gboolean
parse_numbers (const gchar * text, GArray * out, guint max, GError ** error)
{
  const gchar *p = text;

  for (;;) {
    gchar *end;
    gdouble v;
    while (g_ascii_isspace (*p))
      p++;
    if (!*p)
      return TRUE;
    v = g_ascii_strtod (p, &end);
    if (end == p || !isfinite (v)) {
      g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
          "bad number \"%.20s\"", p);
      return FALSE;
    }
    if (out->len >= max) {
      g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
          "too many numbers in one element");
      return FALSE;
    }
    g_array_append_val (out, v);
    p = end;
  }
}

static gboolean
parse_int (const gchar * text, gint lo, gint hi, gint * out, const gchar * what,
    GError ** error)
{
  gchar *end;
  gint64 v;

  while (g_ascii_isspace (*text))
    text++;
  v = g_ascii_strtoll (text, &end, 10);
  while (g_ascii_isspace (*end))
    end++;
  if (end == text || *end || v < lo || v > hi) {
    g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
        "<%s> must be an integer in [%d, %d], got \"%.20s\"", what, lo, hi,
        text);
    return FALSE;
  }
  *out = (gint) v;
  return TRUE;
}

static void
on_start (GMarkupParseContext * pc, const gchar * name, const gchar ** an,
    const gchar ** av, gpointer user_data, GError ** error)
{
  ParseCtx *ctx = user_data;
  guint i;

  if (ctx->stack->len >= MAX_DEPTH) {
    g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
        "elements nested deeper than %d", MAX_DEPTH);
    return;
  }
  if (ctx->stack->len == 1) {
    const gchar *type_id = NULL;
    for (i = 0; an[i]; i++)
      if (strcmp (an[i], "type_id") == 0)
        type_id = av[i];
    if (strcmp (name, "cascade") == 0)
      ctx->in_cascade = TRUE;
    else if (type_id && strcmp (type_id, "opencv-haar-classifier") == 0
        && !ctx->old_format)
      ctx->old_format = g_strdup (name);
  } else if (ctx->stack->len == 0 && strcmp (name, "opencv_storage") != 0) {
    g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
        "root element is <%s>, expected <opencv_storage>", name);
    return;
  }
  g_ptr_array_add (ctx->stack, g_strdup (name));
  g_string_truncate (ctx->text, 0);

  if (REL (ctx, "stages", "_")) {
    PStage s = { 0, FALSE, ctx->weaks->len, 0 };
    if (ctx->stages->len >= MAX_ITEMS)
      goto too_many;
    g_array_append_val (ctx->stages, s);
  } else if (REL (ctx, "stages", "_", "weakClassifiers", "_")) {
    PWeak w = { g_array_new (FALSE, FALSE, sizeof (gdouble)),
      g_array_new (FALSE, FALSE, sizeof (gdouble))
    };
    if (ctx->weaks->len >= MAX_ITEMS) {
      pweak_clear (&w);
      goto too_many;
    }
    g_array_append_val (ctx->weaks, w);
    g_array_index (ctx->stages, PStage, ctx->stages->len - 1).n_weak++;
  } else if (REL (ctx, "features", "_")) {
    PFeature f;
    memset (&f, 0, sizeof (f));
    if (ctx->features->len >= MAX_ITEMS)
      goto too_many;
    g_array_append_val (ctx->features, f);
  }
  return;

too_many:
  g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
      "too many elements");
}

static void
on_text (GMarkupParseContext * pc, const gchar * text, gsize len,
    gpointer user_data, GError ** error)
{
  ParseCtx *ctx = user_data;

  if (ctx->in_cascade)
    g_string_append_len (ctx->text, text, len);
}

static void
on_end (GMarkupParseContext * pc, const gchar * name, gpointer user_data,
    GError ** error)
{
  ParseCtx *ctx = user_data;
  const gchar *t = ctx->text->str;

  if (REL (ctx, "stageType")) {
    g_free (ctx->stage_type);
    ctx->stage_type = g_strstrip (g_strdup (t));
  } else if (REL (ctx, "featureType")) {
    g_free (ctx->feature_type);
    ctx->feature_type = g_strstrip (g_strdup (t));
  } else if (REL (ctx, "height")) {
    parse_int (t, 3, MAX_WINDOW, &ctx->height, "height", error);
  } else if (REL (ctx, "width")) {
    parse_int (t, 3, MAX_WINDOW, &ctx->width, "width", error);
  } else if (REL (ctx, "featureParams", "maxCatCount")) {
    parse_int (t, 0, 256, &ctx->max_cat, "maxCatCount", error);
  } else if (REL (ctx, "stages", "_", "stageThreshold")) {
    GArray *a = g_array_new (FALSE, FALSE, sizeof (gdouble));
    PStage *s = &g_array_index (ctx->stages, PStage, ctx->stages->len - 1);
    if (parse_numbers (t, a, 1, error)) {
      if (a->len != 1)
        g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
            "stage %u: empty <stageThreshold>", ctx->stages->len - 1);
      else {
        s->threshold = g_array_index (a, gdouble, 0);
        s->have_threshold = TRUE;
      }
    }
    g_array_unref (a);
  } else if (REL (ctx, "stages", "_", "weakClassifiers", "_", "internalNodes")) {
    PWeak *w = &g_array_index (ctx->weaks, PWeak, ctx->weaks->len - 1);
    parse_numbers (t, w->nodes, 1 << 16, error);
  } else if (REL (ctx, "stages", "_", "weakClassifiers", "_", "leafValues")) {
    PWeak *w = &g_array_index (ctx->weaks, PWeak, ctx->weaks->len - 1);
    parse_numbers (t, w->leaves, 1 << 16, error);
  } else if (REL (ctx, "features", "_", "rects", "_")) {
    PFeature *f =
        &g_array_index (ctx->features, PFeature, ctx->features->len - 1);
    GArray *a = g_array_new (FALSE, FALSE, sizeof (gdouble));
    if (parse_numbers (t, a, 5, error)) {
      if (a->len != 5 || f->n_rects >= 3)
        g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
            "feature %u: a Haar feature has 1-3 rectangles of 5 numbers",
            ctx->features->len - 1);
      else
        memcpy (f->r[f->n_rects++], a->data, 5 * sizeof (gdouble));
    }
    g_array_unref (a);
  } else if (REL (ctx, "features", "_", "rect")) {
    PFeature *f =
        &g_array_index (ctx->features, PFeature, ctx->features->len - 1);
    GArray *a = g_array_new (FALSE, FALSE, sizeof (gdouble));
    if (parse_numbers (t, a, 4, error)) {
      guint i;
      if (a->len != 4)
        g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_INVALID,
            "feature %u: an LBP feature rectangle has 4 numbers",
            ctx->features->len - 1);
      for (i = 0; i < a->len && i < 4; i++) {
        gdouble v = g_array_index (a, gdouble, i);
        f->lbp[i] = (v >= -1e6 && v <= 1e6) ? (gint) v : -1;
      }
      f->have_lbp = TRUE;
    }
    g_array_unref (a);
  } else if (REL (ctx, "features", "_", "tilted")) {
    PFeature *f =
        &g_array_index (ctx->features, PFeature, ctx->features->len - 1);
    gint v = 0;
    if (parse_int (t, 0, 1, &v, "tilted", error))
      f->tilted = v;
  }

  g_string_truncate (ctx->text, 0);
  if (ctx->stack->len == 2 && ctx->in_cascade)
    ctx->in_cascade = FALSE;
  g_ptr_array_remove_index (ctx->stack, ctx->stack->len - 1);
}

static gboolean
fail (GError ** error, gint code, const gchar * fmt, ...)
G_GNUC_PRINTF (3, 4);

     static gboolean fail (GError ** error, gint code, const gchar * fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, EMO_CASCADE_ERROR, code, msg);
  g_free (msg);
  return FALSE;
}

/* The header: format, feature type, window, categorical splits. */
static gboolean
build_check_header (ParseCtx * ctx, gboolean * lbp, GError ** error)
{
  if (ctx->old_format)
    return fail (error, EMO_CASCADE_ERROR_UNSUPPORTED,
        "<%s> is an old-style (opencv-haar-classifier) cascade; use a cascade in "
        "the opencv_traincascade format (as in /usr/share/opencv4)",
        ctx->old_format);
  if (!ctx->feature_type)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "no <cascade> element with a <featureType>");
  if (ctx->stage_type && strcmp (ctx->stage_type, "BOOST") != 0)
    return fail (error, EMO_CASCADE_ERROR_UNSUPPORTED,
        "stage type \"%s\" (only BOOST)", ctx->stage_type);
  if (strcmp (ctx->feature_type, "HAAR") == 0)
    *lbp = FALSE;
  else if (strcmp (ctx->feature_type, "LBP") == 0)
    *lbp = TRUE;
  else
    return fail (error, EMO_CASCADE_ERROR_UNSUPPORTED,
        "feature type \"%s\" (only HAAR and LBP)", ctx->feature_type);
  if (ctx->width <= 0 || ctx->height <= 0)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "missing <width> or <height>");
  if (*lbp && ctx->max_cat != 256)
    return fail (error, EMO_CASCADE_ERROR_UNSUPPORTED,
        "LBP cascade with maxCatCount %d (expected 256)", ctx->max_cat);
  if (!*lbp && ctx->max_cat != 0)
    return fail (error, EMO_CASCADE_ERROR_UNSUPPORTED,
        "Haar cascade with categorical splits (maxCatCount %d)", ctx->max_cat);
  if (ctx->stages->len == 0)
    return fail (error, EMO_CASCADE_ERROR_INVALID, "no stages");
  if (ctx->features->len == 0)
    return fail (error, EMO_CASCADE_ERROR_INVALID, "no features");
  return TRUE;
}

static gboolean
build_lbp_feature (const EmoCascade * c, guint i, const PFeature * pf,
    Feature * f, GError ** error)
{
  gint x = pf->lbp[0], y = pf->lbp[1], w = pf->lbp[2], h = pf->lbp[3];

  if (!pf->have_lbp || pf->n_rects)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "feature %u: LBP features have one <rect>", i);
  if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + 3 * w > c->win_w
      || y + 3 * h > c->win_h)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "feature %u: LBP block %d %d %d %d outside the %dx%d window", i, x,
        y, w, h, c->win_w, c->win_h);
  f->lx = x;
  f->ly = y;
  f->lw = w;
  f->lh = h;
  return TRUE;
}

static gboolean
build_haar_feature (const EmoCascade * c, guint i, const PFeature * pf,
    Feature * f, GError ** error)
{
  guint j;

  f->tilted = pf->tilted;
  if (pf->n_rects < 1 || pf->have_lbp)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "feature %u: Haar features have 1-3 <rects>", i);
  f->n_rects = pf->n_rects;
  for (j = 0; j < (guint) pf->n_rects; j++) {
    const gdouble *r = pf->r[j];
    gint x, y, w, h;
    if (r[0] < 0 || r[1] < 0 || r[2] <= 0 || r[3] <= 0 || r[0] > MAX_WINDOW
        || r[1] > MAX_WINDOW || r[2] > MAX_WINDOW || r[3] > MAX_WINDOW
        || fabs (r[4]) > 1e6)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "feature %u: bad rectangle", i);
    x = (gint) r[0];
    y = (gint) r[1];
    w = (gint) r[2];
    h = (gint) r[3];
    /* a tilted rectangle spans columns x-h .. x+w and rows y .. y+w+h */
    if ((!f->tilted && (x + w > c->win_w || y + h > c->win_h)) ||
        (f->tilted && (x - h < 0 || x + w > c->win_w || y + w + h > c->win_h)))
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "feature %u: %srectangle %d %d %d %d outside the %dx%d window", i,
          f->tilted ? "tilted " : "", x, y, w, h, c->win_w, c->win_h);
    f->r[j].x = x;
    f->r[j].y = y;
    f->r[j].w = w;
    f->r[j].h = h;
    f->r[j].weight = (gfloat) r[4];
  }
  return TRUE;
}

static gboolean
build_features (ParseCtx * ctx, EmoCascade * c, gboolean lbp, GError ** error)
{
  guint i;

  c->n_features = ctx->features->len;
  c->features = g_new0 (Feature, c->n_features);
  for (i = 0; i < c->n_features; i++) {
    const PFeature *pf = &g_array_index (ctx->features, PFeature, i);
    Feature *f = &c->features[i];
    if (lbp ? !build_lbp_feature (c, i, pf, f, error)
        : !build_haar_feature (c, i, pf, f, error))
      return FALSE;
    if (f->tilted)
      c->has_tilted = TRUE;
  }
  return TRUE;
}

/* Checks every tree's node and leaf counts and allocates the flat arrays. */
static gboolean
build_alloc_trees (ParseCtx * ctx, EmoCascade * c, gboolean lbp,
    guint node_step, GError ** error)
{
  guint i, n_nodes = 0, n_leaves = 0;

  for (i = 0; i < ctx->weaks->len; i++) {
    PWeak *w = &g_array_index (ctx->weaks, PWeak, i);
    guint nn;
    if (w->nodes->len == 0 || w->nodes->len % node_step)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "weak classifier %u: <internalNodes> must hold groups of %u numbers",
          i, node_step);
    nn = w->nodes->len / node_step;
    if (w->leaves->len != nn + 1)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "weak classifier %u: %u nodes need %u <leafValues>, got %u", i, nn,
          nn + 1, w->leaves->len);
    n_nodes += nn;
    n_leaves += nn + 1;
  }
  c->n_stages = ctx->stages->len;
  c->stages = g_new0 (Stage, c->n_stages);
  c->n_weak = ctx->weaks->len;
  c->weak = g_new0 (Weak, c->n_weak);
  c->n_nodes = n_nodes;
  c->nodes = g_new0 (Node, n_nodes);
  c->n_leaves = n_leaves;
  c->leaves = g_new0 (gfloat, n_leaves);
  if (lbp)
    c->subsets = g_new0 (gint32, (gsize) n_nodes * LBP_SUBSET_WORDS);
  return TRUE;
}

static gboolean
build_stages (ParseCtx * ctx, EmoCascade * c, GError ** error)
{
  guint i;

  for (i = 0; i < c->n_stages; i++) {
    PStage *ps = &g_array_index (ctx->stages, PStage, i);
    if (!ps->have_threshold || ps->n_weak == 0)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "stage %u: needs a <stageThreshold> and at least one weak classifier",
          i);
    c->stages[i].first_weak = ps->first_weak;
    c->stages[i].n_weak = ps->n_weak;
    c->stages[i].threshold = (gfloat) ps->threshold - STAGE_THRESHOLD_EPS;
  }
  return TRUE;
}

/* Node j of weak classifier i (nn nodes) from its numbers v. */
static gboolean
build_node (EmoCascade * c, gboolean lbp, guint i, guint j, guint nn,
    const gdouble * v, gsize index, GError ** error)
{
  Node *n = &c->nodes[index];
  gint k;

  for (k = 0; k < 3; k++)
    if (v[k] != floor (v[k]) || fabs (v[k]) > 1e7)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "weak classifier %u node %u: indices must be integers", i, j);
  n->left = (gint) v[0];
  n->right = (gint) v[1];
  n->feature = (gint) v[2];
  /* children: a later node of this tree (so evaluation terminates) or a leaf */
  if ((n->left > 0 && (n->left <= (gint) j || n->left >= (gint) nn))
      || (n->right > 0 && (n->right <= (gint) j || n->right >= (gint) nn))
      || -n->left > (gint) nn || -n->right > (gint) nn)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "weak classifier %u node %u: child index out of range", i, j);
  if (n->feature < 0 || (guint) n->feature >= c->n_features)
    return fail (error, EMO_CASCADE_ERROR_INVALID,
        "weak classifier %u node %u: feature %d of %u", i, j, n->feature,
        c->n_features);
  n->threshold = lbp ? 0 : (gfloat) v[3];
  if (!lbp)
    return TRUE;
  for (k = 0; k < LBP_SUBSET_WORDS; k++) {
    gdouble s = v[3 + k];
    if (s != floor (s) || s < -2147483648.0 || s > 4294967295.0)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "weak classifier %u node %u: bad category subset", i, j);
    c->subsets[index * LBP_SUBSET_WORDS + k] = (gint32) (guint32) (gint64) s;
  }
  return TRUE;
}

static gboolean
build_trees (ParseCtx * ctx, EmoCascade * c, gboolean lbp, guint node_step,
    GError ** error)
{
  guint i, j, n_nodes = 0, n_leaves = 0;

  c->stumps = TRUE;
  for (i = 0; i < c->n_weak; i++) {
    PWeak *pw = &g_array_index (ctx->weaks, PWeak, i);
    Weak *w = &c->weak[i];
    const gdouble *nd = (const gdouble *) pw->nodes->data;
    guint nn = pw->nodes->len / node_step;
    w->first_node = n_nodes;
    w->n_nodes = nn;
    w->first_leaf = n_leaves;
    if (nn > 1)
      c->stumps = FALSE;
    for (j = 0; j < nn; j++)
      if (!build_node (c, lbp, i, j, nn, nd + j * node_step, n_nodes + j,
              error))
        return FALSE;
    for (j = 0; j <= nn; j++)
      c->leaves[n_leaves + j] = (gfloat) g_array_index (pw->leaves, gdouble, j);
    n_nodes += nn;
    n_leaves += nn + 1;
  }
  /* every stage's weak classifiers must exist */
  for (i = 0; i < c->n_stages; i++)
    if (c->stages[i].first_weak + c->stages[i].n_weak > c->n_weak)
      return fail (error, EMO_CASCADE_ERROR_INVALID,
          "stage %u: weak classifiers missing", i);
  return TRUE;
}

/* Turns the parsed pieces into the evaluator's flat arrays, checking every
 * index and bound so that evaluation never reads outside them. */
static gboolean
build (ParseCtx * ctx, EmoCascade * c, GError ** error)
{
  gboolean lbp = FALSE;
  guint node_step;

  if (!build_check_header (ctx, &lbp, error))
    return FALSE;
  c->type = lbp ? EMO_CASCADE_LBP : EMO_CASCADE_HAAR;
  c->win_w = ctx->width;
  c->win_h = ctx->height;
  node_step = lbp ? 3 + LBP_SUBSET_WORDS : 4;
  return build_features (ctx, c, lbp, error)
      && build_alloc_trees (ctx, c, lbp, node_step, error)
      && build_stages (ctx, c, error)
      && build_trees (ctx, c, lbp, node_step, error);
}

EmoCascade *
emo_cascade_parse (const gchar * text, gssize len, GError ** error)
{
  static const GMarkupParser parser = { on_start, on_end, on_text, NULL, NULL };
  GMarkupParseContext *pc;
  ParseCtx ctx;
  EmoCascade *c = NULL;
  GError *err = NULL;
  guint i;

  g_return_val_if_fail (text != NULL, NULL);
  memset (&ctx, 0, sizeof (ctx));
  ctx.stack = g_ptr_array_new_with_free_func (g_free);
  ctx.text = g_string_new (NULL);
  ctx.stages = g_array_new (FALSE, FALSE, sizeof (PStage));
  ctx.weaks = g_array_new (FALSE, FALSE, sizeof (PWeak));
  ctx.features = g_array_new (FALSE, FALSE, sizeof (PFeature));

  pc = g_markup_parse_context_new (&parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &ctx,
      NULL);
  if (!g_markup_parse_context_parse (pc, text, len, &err)
      || !g_markup_parse_context_end_parse (pc, &err)) {
    if (err->domain == EMO_CASCADE_ERROR)
      g_propagate_error (error, err);
    else {
      g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_PARSE, "%s",
          err->message);
      g_error_free (err);
    }
    goto done;
  }
  c = g_new0 (EmoCascade, 1);
  if (!build (&ctx, c, error)) {
    emo_cascade_free (c);
    c = NULL;
  }

done:
  g_markup_parse_context_free (pc);
  g_ptr_array_unref (ctx.stack);
  g_string_free (ctx.text, TRUE);
  g_array_unref (ctx.stages);
  for (i = 0; i < ctx.weaks->len; i++)
    pweak_clear (&g_array_index (ctx.weaks, PWeak, i));
  g_array_unref (ctx.weaks);
  g_array_unref (ctx.features);
  g_free (ctx.stage_type);
  g_free (ctx.feature_type);
  g_free (ctx.old_format);
  return c;
}

EmoCascade *
emo_cascade_load (const gchar * path, GError ** error)
{
  gchar *text = NULL;
  gsize len;
  GError *err = NULL;
  EmoCascade *c;

  if (!g_file_get_contents (path, &text, &len, &err)) {
    g_set_error (error, EMO_CASCADE_ERROR, EMO_CASCADE_ERROR_PARSE,
        "%s: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  c = emo_cascade_parse (text, len, &err);
  g_free (text);
  if (!c) {
    g_set_error (error, EMO_CASCADE_ERROR, err->code, "%s: %s", path,
        err->message);
    g_error_free (err);
  }
  return c;
}

void
emo_cascade_free (EmoCascade * c)
{
  if (!c)
    return;
  g_free (c->stages);
  g_free (c->weak);
  g_free (c->nodes);
  g_free (c->leaves);
  g_free (c->subsets);
  g_free (c->features);
  g_free (c);
}

EmoCascadeType
emo_cascade_get_feature_type (const EmoCascade * c)
{
  return c->type;
}

void
emo_cascade_get_window (const EmoCascade * c, gint * width, gint * height)
{
  if (width)
    *width = c->win_w;
  if (height)
    *height = c->win_h;
}

guint
emo_cascade_get_n_stages (const EmoCascade * c)
{
  return c->n_stages;
}

guint
emo_cascade_get_n_features (const EmoCascade * c)
{
  return c->n_features;
}

/* ---- evaluation --------------------------------------------------------- */

/* Per integral-image stride, each feature's rectangle corners as offsets
 * from the window origin: Haar 3 rects x 4 corners, LBP 4 x 4 grid points. */
typedef struct
{
  gint ofs[16];
} FeatOfs;

static void
compute_offsets (const EmoCascade * c, gsize stride, FeatOfs * fo)
{
  guint i;
  gint j, k;

  for (i = 0; i < c->n_features; i++) {
    const Feature *f = &c->features[i];
    memset (&fo[i], 0, sizeof (FeatOfs));
    if (c->type == EMO_CASCADE_HAAR) {
      for (j = 0; j < f->n_rects && f->tilted; j++) {
        /* corners (x, y), (x-h, y+h), (x+w, y+w), (x+w-h, y+w+h) of the
         * rotated integral image: sum = p0 - p1 - p2 + p3 (as OpenCV) */
        const HaarRect *r = &f->r[j];
        fo[i].ofs[4 * j + 0] = (gint) (r->y * stride + r->x);
        fo[i].ofs[4 * j + 1] = (gint) ((r->y + r->h) * stride + r->x - r->h);
        fo[i].ofs[4 * j + 2] = (gint) ((r->y + r->w) * stride + r->x + r->w);
        fo[i].ofs[4 * j + 3] =
            (gint) ((r->y + r->w + r->h) * stride + r->x + r->w - r->h);
      }
      for (j = 0; j < f->n_rects && !f->tilted; j++) {
        const HaarRect *r = &f->r[j];
        fo[i].ofs[4 * j + 0] = (gint) (r->y * stride + r->x);
        fo[i].ofs[4 * j + 1] = (gint) (r->y * stride + r->x + r->w);
        fo[i].ofs[4 * j + 2] = (gint) ((r->y + r->h) * stride + r->x);
        fo[i].ofs[4 * j + 3] = (gint) ((r->y + r->h) * stride + r->x + r->w);
      }
    } else {
      for (j = 0; j < 4; j++)
        for (k = 0; k < 4; k++)
          fo[i].ofs[4 * j + k] =
              (gint) ((f->ly + j * f->lh) * stride + f->lx + k * f->lw);
    }
  }
}

#define RSUM(p, o, a, b, c_, d) ((gint32) ((p)[(o)[d]] - (p)[(o)[b]] - (p)[(o)[c_]] + (p)[(o)[a]]))

static inline gfloat
haar_value (const Feature * f, const FeatOfs * fo, const guint32 * ps,
    const guint32 * pt)
{
  const gint *o = fo->ofs;
  const guint32 *p = f->tilted ? pt : ps;
  gfloat v = f->r[0].weight * RSUM (p, o, 0, 1, 2, 3)
      + f->r[1].weight * (f->n_rects > 1 ? RSUM (p, o, 4, 5, 6, 7) : 0);
  if (f->n_rects > 2)
    v += f->r[2].weight * RSUM (p, o, 8, 9, 10, 11);
  return v;
}

static inline gint
lbp_code (const FeatOfs * fo, const guint32 * p)
{
  const gint *o = fo->ofs;
  /* cell (r, c) spans grid points r*4+c .. (r+1)*4+c+1 */
#define CELL(r, c) RSUM (p, o, (r) * 4 + (c), (r) * 4 + (c) + 1, ((r) + 1) * 4 + (c), ((r) + 1) * 4 + (c) + 1)
  gint32 cv = CELL (1, 1);
  return (CELL (0, 0) >= cv ? 128 : 0) | (CELL (0, 1) >= cv ? 64 : 0) |
      (CELL (0, 2) >= cv ? 32 : 0) | (CELL (1, 2) >= cv ? 16 : 0) |
      (CELL (2, 2) >= cv ? 8 : 0) | (CELL (2, 1) >= cv ? 4 : 0) |
      (CELL (2, 0) >= cv ? 2 : 0) | (CELL (1, 0) >= cv ? 1 : 0);
#undef CELL
}

/* Window set-up shared by both evaluators: the integral-image pointers of
 * the window at (x, y) and, for Haar cascades, the variance normalisation
 * factor. Returns FALSE for a window outside the image or one too flat to
 * be a face (rejected before the first stage, as OpenCV does). */
static gboolean
window_setup (const EmoCascade * c, const EmoIntegral * ii, gint x, gint y,
    const guint32 ** p, const guint32 ** pt, gfloat * inv)
{
  *p = ii->sum + (gsize) y *ii->stride + x;
  *pt = ii->have_tilted ? ii->tilted + (gsize) y *ii->stride + x : NULL;
  *inv = 1.0f;
  if (x < 0 || y < 0 || x + c->win_w > ii->width || y + c->win_h > ii->height
      || (c->has_tilted && !*pt))
    return FALSE;
  if (c->type == EMO_CASCADE_HAAR) {
    gint nw = c->win_w - 2, nh = c->win_h - 2;
    gdouble area = (gdouble) nw * nh;
    gint32 vs =
        (gint32) emo_integral_rect (ii->sum, ii->stride, x + 1, y + 1, nw, nh);
    guint32 vq =
        emo_integral_rect (ii->sqsum, ii->stride, x + 1, y + 1, nw, nh);
    gdouble nf = area * vq - (gdouble) vs * vs;
    if (nf <= 0.0)
      return FALSE;
    nf = sqrt (nf);
    /* std <= 10 grey levels: too flat to be a face */
    if (area / nf >= 0.1)
      return FALSE;
    *inv = (gfloat) (1.0 / nf);
  }
  return TRUE;
}

static gint
run_window (const EmoCascade * c, const FeatOfs * fo, const EmoIntegral * ii,
    gint x, gint y)
{
  const guint32 *p, *pt;
  guint s, w;
  gfloat inv;

  if (!window_setup (c, ii, x, y, &p, &pt, &inv))
    return -1 - (gint) c->n_stages;

  for (s = 0; s < c->n_stages; s++) {
    const Stage *st = &c->stages[s];
    gfloat sum = 0;
    for (w = st->first_weak; w < st->first_weak + st->n_weak; w++) {
      const Weak *wk = &c->weak[w];
      gint idx = 0;
      do {
        const Node *n = &c->nodes[wk->first_node + idx];
        if (c->type == EMO_CASCADE_HAAR) {
          gfloat v = haar_value (&c->features[n->feature], &fo[n->feature], p,
              pt) * inv;
          idx = v < n->threshold ? n->left : n->right;
        } else {
          gint code = lbp_code (&fo[n->feature], p);
          const gint32 *sub =
              c->subsets + (gsize) (wk->first_node + idx) * LBP_SUBSET_WORDS;
          idx = (sub[code >> 5] & (1u << (code & 31))) ? n->left : n->right;
        }
      } while (idx > 0);
      sum += c->leaves[wk->first_leaf - idx];
    }
    if (sum < st->threshold)
      return -(gint) s;
  }
  return 1;
}

gint
emo_cascade_run_at (const EmoCascade * c, const EmoIntegral * ii, gint x,
    gint y)
{
  FeatOfs *fo = g_new (FeatOfs, c->n_features);
  gint r;

  compute_offsets (c, ii->stride, fo);
  r = run_window (c, fo, ii, x, y);
  g_free (fo);
  return r;
}

/* ---- detection ---------------------------------------------------------- */

/* Stump cascades (every tree one node, as in all of opencv-data's face
 * cascades): one flat record per weak classifier with its corner offsets
 * for the current integral-image stride, so the hot loop touches one
 * contiguous array. */
typedef struct
{
  gint ofs[16];
  gfloat weight[3];
  gfloat threshold;
  gfloat leaf[2];               /* left (value < threshold / bit set), right */
  gint n_rects;
  gint node;                    /* node index (LBP subset lookup) */
  gint tilted;
} Stump;

static void
compute_stumps (const EmoCascade * c, const FeatOfs * fo, Stump * st)
{
  guint i;

  for (i = 0; i < c->n_weak; i++) {
    const Weak *w = &c->weak[i];
    const Node *n = &c->nodes[w->first_node];
    const Feature *f = &c->features[n->feature];
    Stump *s = &st[i];
    memcpy (s->ofs, fo[n->feature].ofs, sizeof (s->ofs));
    s->n_rects = f->n_rects;
    s->tilted = f->tilted;
    s->weight[0] = f->r[0].weight;
    s->weight[1] = f->r[1].weight;
    s->weight[2] = f->r[2].weight;
    s->threshold = n->threshold;
    /* child <= 0 is leaf -child */
    s->leaf[0] = c->leaves[w->first_leaf - n->left];
    s->leaf[1] = c->leaves[w->first_leaf - n->right];
    s->node = (gint) w->first_node;
  }
}

static gint
run_window_stumps (const EmoCascade * c, const Stump * stumps,
    const EmoIntegral * ii, gint x, gint y)
{
  const guint32 *p, *pt;
  guint s;
  gfloat inv;

  if (!window_setup (c, ii, x, y, &p, &pt, &inv))
    return -1 - (gint) c->n_stages;

  if (c->type == EMO_CASCADE_HAAR) {
    for (s = 0; s < c->n_stages; s++) {
      const Stage *stg = &c->stages[s];
      const Stump *k = stumps + stg->first_weak, *end = k + stg->n_weak;
      gfloat sum = 0;
      for (; k < end; k++) {
        const gint *o = k->ofs;
        const guint32 *q = k->tilted ? pt : p;
        gfloat v = k->weight[0] * RSUM (q, o, 0, 1, 2, 3)
            + k->weight[1] * RSUM (q, o, 4, 5, 6, 7);
        if (k->n_rects > 2)
          v += k->weight[2] * RSUM (q, o, 8, 9, 10, 11);
        sum += k->leaf[v * inv < k->threshold ? 0 : 1];
      }
      if (sum < stg->threshold)
        return -(gint) s;
    }
  } else {
    for (s = 0; s < c->n_stages; s++) {
      const Stage *stg = &c->stages[s];
      const Stump *k = stumps + stg->first_weak, *end = k + stg->n_weak;
      gfloat sum = 0;
      for (; k < end; k++) {
        gint code = lbp_code ((const FeatOfs *) k->ofs, p);
        const gint32 *sub = c->subsets + (gsize) k->node * LBP_SUBSET_WORDS;
        sum += k->leaf[(sub[code >> 5] & (1u << (code & 31))) ? 0 : 1];
      }
      if (sum < stg->threshold)
        return -(gint) s;
    }
  }
  return 1;
}

struct _EmoDetector
{
  const EmoCascade *c;
  Stump *stumps;
  EmoIntegral ii;
  guint8 *scaled;
  gsize scaled_alloc;
  FeatOfs *fo;
  gsize fo_stride;
  GArray *raw;                  /* EmoDetection */
};

void
emo_detect_params_init (EmoDetectParams * p)
{
  memset (p, 0, sizeof (*p));
  p->scale_factor = 1.1;
  p->min_neighbors = 3;
}

EmoDetector *
emo_detector_new (const EmoCascade * c)
{
  EmoDetector *d = g_new0 (EmoDetector, 1);

  d->c = c;
  emo_integral_init (&d->ii);
  d->fo = g_new (FeatOfs, c->n_features);
  if (c->stumps)
    d->stumps = g_new (Stump, c->n_weak);
  d->raw = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  return d;
}

void
emo_detector_free (EmoDetector * d)
{
  if (!d)
    return;
  emo_integral_clear (&d->ii);
  g_free (d->scaled);
  g_free (d->fo);
  g_free (d->stumps);
  g_array_unref (d->raw);
  g_free (d);
}

#define MAX_RAW 8192

static gint
cmp_area_desc (gconstpointer a, gconstpointer b)
{
  const EmoDetection *x = a, *y = b;
  gint64 ax = (gint64) x->rect.width * x->rect.height;
  gint64 ay = (gint64) y->rect.width * y->rect.height;
  return ax < ay ? 1 : ax > ay ? -1 : 0;
}

guint
emo_detector_detect (EmoDetector * d, const guint8 * img, gint width,
    gint height, gsize stride, const EmoDetectParams * p, GArray * out)
{
  const EmoCascade *c = d->c;
  EmoRect roi;
  gdouble factor, sf;
  const guint8 *base;
  guint i;

  g_array_set_size (out, 0);
  g_array_set_size (d->raw, 0);
  if (!img || width <= 0 || height <= 0)
    return 0;
  roi = p->roi;
  if (roi.width <= 0 || roi.height <= 0) {
    roi.x = roi.y = 0;
    roi.width = width;
    roi.height = height;
  }
  if (!emo_rect_clip (&roi, width, height))
    return 0;
  base = img + (gsize) roi.y * stride + roi.x;
  sf = (p->scale_factor > 1.0001
      && isfinite (p->scale_factor)) ? p->scale_factor : 1.1;
  factor = MAX (1.0, (gdouble) p->min_size / c->win_w);

  for (;; factor *= sf) {
    gint ww = (gint) lround (c->win_w * factor);
    gint wh = (gint) lround (c->win_h * factor);
    gint sw = (gint) lround (roi.width / factor);
    gint sh = (gint) lround (roi.height / factor);
    gint step =
        p->step > 0 ? (2.0 * factor <= p->step ? 2 : 1) : (factor >
        2.0 ? 1 : 2);
    gint x, y;

    if (sw < c->win_w || sh < c->win_h || ww > roi.width || wh > roi.height)
      break;
    if (p->max_size > 0 && ww > p->max_size)
      break;
    if ((gsize) sw * sh > d->scaled_alloc) {
      g_free (d->scaled);
      d->scaled_alloc = (gsize) sw *sh;
      d->scaled = g_malloc (d->scaled_alloc);
    }
    emo_gray_resample (base, roi.width, roi.height, stride, 0, 0,
        roi.width, roi.height, d->scaled, sw, sh, sw);
    emo_integral_compute (&d->ii, d->scaled, sw, sh, sw,
        c->type == EMO_CASCADE_HAAR);
    if (c->has_tilted)
      emo_integral_compute_tilted (&d->ii, d->scaled, sw);
    if (d->fo_stride != d->ii.stride) {
      compute_offsets (c, d->ii.stride, d->fo);
      if (d->stumps)
        compute_stumps (c, d->fo, d->stumps);
      d->fo_stride = d->ii.stride;
    }
    for (y = 0; y + c->win_h <= sh; y += step) {
      for (x = 0; x + c->win_w <= sw; x += step) {
        gint r = d->stumps ? run_window_stumps (c, d->stumps, &d->ii, x, y)
            : run_window (c, d->fo, &d->ii, x, y);
        if (r > 0 && d->raw->len < MAX_RAW) {
          EmoDetection det;
          det.rect.x = roi.x + (gint) lround (x * factor);
          det.rect.y = roi.y + (gint) lround (y * factor);
          det.rect.width = ww;
          det.rect.height = wh;
          det.neighbors = 1;
          g_array_append_val (d->raw, det);
        }
        if (r == 0)             /* rejected by the first stage: skip ahead */
          x += step;
      }
    }
  }

  for (i = 0; i < d->raw->len; i++)
    g_array_append_val (out, g_array_index (d->raw, EmoDetection, i));
  if (p->min_neighbors > 0)
    emo_group_rectangles (out, p->min_neighbors, 0.2);
  g_array_sort (out, cmp_area_desc);
  return out->len;
}

/* ---- grouping ----------------------------------------------------------- */

static gboolean
similar (const EmoRect * a, const EmoRect * b, gdouble eps)
{
  gdouble delta =
      eps * (MIN (a->width, b->width) + MIN (a->height, b->height)) * 0.5;
  return fabs ((gdouble) a->x - b->x) <= delta
      && fabs ((gdouble) a->y - b->y) <= delta
      && fabs ((gdouble) a->x + a->width - b->x - b->width) <= delta
      && fabs ((gdouble) a->y + a->height - b->y - b->height) <= delta;
}

static guint
uf_find (guint * parent, guint i)
{
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

void
emo_group_rectangles (GArray * rects, gint min_neighbors, gdouble eps)
{
  guint n = rects->len, i, j, n_cls = 0;
  guint *parent, *label;
  gdouble *acc;                 /* per class: x, y, w, h sums */
  gint *count;
  GArray *res;

  if (n == 0)
    return;
  parent = g_new (guint, n);
  label = g_new (guint, n);
  for (i = 0; i < n; i++)
    parent[i] = i;
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++) {
      EmoDetection *a = &g_array_index (rects, EmoDetection, i);
      EmoDetection *b = &g_array_index (rects, EmoDetection, j);
      if (similar (&a->rect, &b->rect, eps)) {
        guint ra = uf_find (parent, i), rb = uf_find (parent, j);
        if (ra != rb)
          parent[rb] = ra;
      }
    }
  for (i = 0; i < n; i++)
    label[i] = G_MAXUINT;
  for (i = 0; i < n; i++) {
    guint r = uf_find (parent, i);
    if (label[r] == G_MAXUINT)
      label[r] = n_cls++;
    label[i] = label[r];
  }
  acc = g_new0 (gdouble, 4 * (gsize) n_cls);
  count = g_new0 (gint, n_cls);
  for (i = 0; i < n; i++) {
    EmoDetection *a = &g_array_index (rects, EmoDetection, i);
    guint l = label[i];
    acc[4 * l] += a->rect.x;
    acc[4 * l + 1] += a->rect.y;
    acc[4 * l + 2] += a->rect.width;
    acc[4 * l + 3] += a->rect.height;
    count[l] += a->neighbors;
  }
  res = g_array_new (FALSE, FALSE, sizeof (EmoDetection));
  {
    EmoDetection *avg = g_new0 (EmoDetection, n_cls);
    gint *members = g_new0 (gint, n_cls);
    for (i = 0; i < n; i++)
      members[label[i]]++;
    for (i = 0; i < n_cls; i++) {
      /* single precision and round-half-even, as cv::groupRectangles */
      gfloat s = 1.0f / members[i];
      avg[i].rect.x = (gint) lrintf ((gfloat) acc[4 * i] * s);
      avg[i].rect.y = (gint) lrintf ((gfloat) acc[4 * i + 1] * s);
      avg[i].rect.width = (gint) lrintf ((gfloat) acc[4 * i + 2] * s);
      avg[i].rect.height = (gint) lrintf ((gfloat) acc[4 * i + 3] * s);
      avg[i].neighbors = count[i];
    }
    /* drop small clusters lying inside a stronger one */
    for (i = 0; i < n_cls; i++) {
      gint n1 = avg[i].neighbors;
      const EmoRect *r1 = &avg[i].rect;
      if (n1 <= min_neighbors)
        continue;
      for (j = 0; j < n_cls; j++) {
        gint n2 = avg[j].neighbors;
        const EmoRect *r2 = &avg[j].rect;
        gint dx, dy;
        if (j == i || n2 <= min_neighbors)
          continue;
        dx = (gint) lrint (r2->width * eps);
        dy = (gint) lrint (r2->height * eps);
        if (r1->x >= r2->x - dx && r1->y >= r2->y - dy &&
            r1->x + r1->width <= r2->x + r2->width + dx &&
            r1->y + r1->height <= r2->y + r2->height + dy &&
            (n2 > MAX (3, n1) || n1 < 3))
          break;
      }
      if (j == n_cls)
        g_array_append_val (res, avg[i]);
    }
    g_free (avg);
    g_free (members);
  }
  g_array_set_size (rects, 0);
  g_array_append_vals (rects, res->data, res->len);
  g_array_unref (res);
  g_free (acc);
  g_free (count);
  g_free (parent);
  g_free (label);
}
