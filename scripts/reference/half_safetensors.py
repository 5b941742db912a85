"""Golden safetensors bytes with F16 and BF16 tensors, from PyTorch's own bits, for SafetensorsHalfTest.
Writes the file the way jgrad's writer lays it out (header in insertion order, no metadata, padded with spaces to a
multiple of 8), then reads it back the way any safetensors reader does (header, then torch.frombuffer on the byte
ranges) and checks that torch gets its tensors back bit for bit. Prints the hex and the bits.
"""
import json
import struct

import torch

h = torch.tensor([1.0, -0.0, 65504.0, 6e-8, float('inf'), float('nan')], dtype=torch.float32).to(torch.float16).reshape(2, 3)
b = torch.tensor([3.14159, -1e38, 1e-40, float('-inf')], dtype=torch.float32).to(torch.bfloat16)
tensors = {'h': h, 'b': b}
names = {torch.float16: 'F16', torch.bfloat16: 'BF16'}
header, data, at = {}, b'', 0
for name, t in tensors.items():
    raw = t.contiguous().view(torch.int16).numpy().astype('<i2').tobytes()
    header[name] = {'dtype': names[t.dtype], 'shape': list(t.shape), 'data_offsets': [at, at + len(raw)]}
    data += raw
    at += len(raw)
js = json.dumps(header, separators=(',', ':')).encode()
js += b' ' * (-len(js) % 8)
blob = struct.pack('<Q', len(js)) + js + data

# read it back as a reader does
n = struct.unpack('<Q', blob[:8])[0]
meta = json.loads(blob[8:8 + n])
body = blob[8 + n:]
dtypes = {'F16': torch.float16, 'BF16': torch.bfloat16}
for name, e in meta.items():
    lo, hi = e['data_offsets']
    t = torch.frombuffer(bytearray(body[lo:hi]), dtype=dtypes[e['dtype']]).reshape(e['shape'])
    assert torch.equal(t.view(torch.int16), tensors[name].view(torch.int16)), name
print(blob.hex())
for name, t in tensors.items():
    print(name, [hex(v & 0xffff) for v in t.reshape(-1).view(torch.int16).tolist()])
