/* gst-emo
 * Copyright (C) 2026 the gst-emo developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_EMO_H__
#define __GST_EMO_H__

#include <gst/emo/gstemometa.h>
#include <gst/emo/gstemocaps.h>

#endif /* __GST_EMO_H__ */
