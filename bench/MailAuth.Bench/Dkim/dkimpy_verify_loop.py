#!/usr/bin/python3
"""dkimpy's side of MailAuth's DKIM benchmark: verify one signed message over and over, keys from memory.

usage: dkimpy_verify_loop.py MESSAGE_FILE KEY_NAME KEY_RECORD_FILE WARMUP_SECONDS MEASURE_SECONDS

The same rule as MailAuth's side: verify for WARMUP_SECONDS untimed, then for at least MEASURE_SECONDS timed.
Prints "<iterations> <seconds>" for the timed loop only (reading the files and the warm-up excluded).
"""
import sys
import time
import dkim

path, key_name, record_file = sys.argv[1], sys.argv[2], sys.argv[3]
warmup, measure = float(sys.argv[4]), float(sys.argv[5])
with open(path, 'rb') as f:
    message = f.read()
with open(record_file, 'rb') as f:
    record = f.read().strip()


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return record if name.rstrip('.') == key_name else None


if not dkim.verify(message, dnsfunc=dnsfunc):
    raise SystemExit('dkimpy does not verify the benchmark message')
clock = time.perf_counter
end = clock() + warmup
while clock() < end:
    dkim.verify(message, dnsfunc=dnsfunc)
iterations = 0
start = clock()
end = start + measure
while True:
    if not dkim.verify(message, dnsfunc=dnsfunc):
        raise SystemExit('verification failed in the loop')
    iterations += 1
    now = clock()
    if now >= end:
        break
print(iterations, now - start)
