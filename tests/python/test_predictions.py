"""PyGObject: read gst-emo predictions from a pad probe (GstEmo typelib) and
from bus messages, as an application in Python would."""
import os
import sys
import tempfile

import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstEmo", "1.0")
from gi.repository import Gst, GstEmo  # noqa: E402

Gst.init(None)

tmp = tempfile.mkdtemp()
csv = os.path.join(tmp, "in.csv")
with open(csv, "w") as f:
    f.write("name;timestamp;arousal;valence;liking\n")
    for i in range(30):
        f.write("'r';%.6f;%.3f;%.3f;0.5\n" % (i / 10, i / 100, -i / 100))

pipe = Gst.parse_launch(
    "filesrc location=%s ! emoparse content=predictions source=stored name=p ! "
    "fakesink name=sink" % csv)
seen = []


def probe(pad, info):
    buf = info.get_buffer()
    meta = GstEmo.buffer_get_emo_prediction_meta(buf)
    if meta is not None:
        n = meta.get_n_values()
        vals = {meta.get_name(i): meta.get_value(i) for i in range(n)}
        seen.append((buf.pts, meta.get_source(), vals))
    return Gst.PadProbeReturn.OK


pipe.get_by_name("sink").get_static_pad("sink").add_probe(
    Gst.PadProbeType.BUFFER, probe)
pipe.set_state(Gst.State.PLAYING)
bus = pipe.get_bus()
msg = bus.timed_pop_filtered(10 * Gst.SECOND,
                             Gst.MessageType.EOS | Gst.MessageType.ERROR)
pipe.set_state(Gst.State.NULL)
assert msg is not None and msg.type == Gst.MessageType.EOS, msg
assert len(seen) == 30, len(seen)
pts, src, vals = seen[12]
assert pts == 12 * Gst.SECOND // 10, pts
assert src == "stored", src
assert abs(vals["arousal"] - 0.12) < 1e-6 and abs(vals["valence"] + 0.12) < 1e-6, vals

# Adding a prediction from Python and reading the newest back.
buf = Gst.Buffer.new_allocate(None, 12, None)
m = GstEmo.buffer_add_emo_prediction_meta(buf, "py", 2, ["arousal", "valence"],
                                          [0.25, -0.75], None)
assert m is not None
newest = GstEmo.buffer_get_emo_prediction_meta(buf)
assert newest.get_source() == "py" and abs(newest.get_value(1) + 0.75) < 1e-6
ok, v = newest.lookup("valence")
assert ok and abs(v + 0.75) < 1e-6

# Bus messages: late fusion of two stored prediction streams, read as an app
# would, from the `emofuse` element messages.
csv2 = os.path.join(tmp, "in2.csv")
with open(csv2, "w") as f:
    f.write("name;timestamp;arousal;valence;liking\n")
    for i in range(30):
        f.write("'r';%.6f;%.3f;%.3f;0.1\n" % (i / 10, 0.5, 0.5))
pipe = Gst.parse_launch(
    "emofuse name=f mode=mean post-messages=true ! fakesink "
    "filesrc location=%s ! emoparse content=predictions ! f. "
    "filesrc location=%s ! emoparse content=predictions ! f." % (csv, csv2))
pipe.set_state(Gst.State.PLAYING)
bus = pipe.get_bus()
msgs = []
while True:
    msg = bus.timed_pop_filtered(10 * Gst.SECOND, Gst.MessageType.EOS |
                                 Gst.MessageType.ERROR | Gst.MessageType.ELEMENT)
    assert msg is not None, "timeout"
    if msg.type == Gst.MessageType.ELEMENT:
        st = msg.get_structure()
        if st.get_name() == "emofuse":
            msgs.append(st)
        continue
    assert msg.type == Gst.MessageType.EOS, msg.parse_error()
    break
pipe.set_state(Gst.State.NULL)
assert len(msgs) == 30, len(msgs)
st = msgs[20]
ok, ts = st.get_uint64("timestamp")
assert ok and ts == 2 * Gst.SECOND, ts
ok, a = st.get_double("arousal")
assert ok and abs(a - (0.20 + 0.5) / 2) < 1e-5, a
ok, lk = st.get_double("liking")
assert ok and abs(lk - 0.3) < 1e-5, lk
print("1 passed, 0 failed")
