/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_PRELUDE_H__
#define __GST_EMO_PRELUDE_H__

#include <gst/gst.h>

/* libgstemo-1.0 is built with hidden symbol visibility: only functions
 * marked GST_EMO_API are part of its ABI (as GST_VIDEO_API in
 * gst-plugins-base's video library). */
#ifdef BUILDING_GST_EMO
#define GST_EMO_API GST_API_EXPORT
#else
#define GST_EMO_API GST_API_IMPORT
#endif

#endif /* __GST_EMO_PRELUDE_H__ */
