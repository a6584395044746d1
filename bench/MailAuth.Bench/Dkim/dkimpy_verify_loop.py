#!/usr/bin/python3
"""dkimpy's side of MailAuth's DKIM benchmark: verify one signed message N times, keys from memory.

usage: dkimpy_verify_loop.py MESSAGE_FILE KEY_NAME KEY_RECORD_FILE ITERATIONS
Prints "<iterations> <seconds>" for the timed loop only (parsing the arguments and reading the file excluded).
"""
import sys
import time
import dkim

path, key_name, record_file, iterations = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
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
start = time.perf_counter()
for _ in range(iterations):
    if not dkim.verify(message, dnsfunc=dnsfunc):
        raise SystemExit('verification failed in the loop')
print(iterations, time.perf_counter() - start)
