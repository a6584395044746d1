#!/usr/bin/python3
"""Reference answers from libpsl (the library curl and wget use), through ctypes.

Usage: libpsl_registrable.py <public_suffix_list.dat> < names
Prints one line per name: "<name>\t<registrable domain>" or "<name>\t-" when the name is itself a
public suffix. Needs only libpsl5, which Debian installs with curl.
"""
import ctypes
import ctypes.util
import sys

lib = ctypes.CDLL(ctypes.util.find_library("psl") or "libpsl.so.5")
lib.psl_load_file.restype = ctypes.c_void_p
lib.psl_load_file.argtypes = [ctypes.c_char_p]
lib.psl_registrable_domain.restype = ctypes.c_char_p
lib.psl_registrable_domain.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.psl_free.argtypes = [ctypes.c_void_p]

ctx = lib.psl_load_file(sys.argv[1].encode())
if not ctx:
    sys.exit("libpsl could not load " + sys.argv[1])
out = []
for line in sys.stdin:
    name = line.strip()
    if not name:
        continue
    r = lib.psl_registrable_domain(ctx, name.encode())
    out.append(name + "\t" + (r.decode() if r else "-"))
lib.psl_free(ctx)
sys.stdout.write("\n".join(out) + "\n")
