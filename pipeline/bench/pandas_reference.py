# (Named pandas_reference.py: a script named pandas.py would shadow the package it imports.)
# The pandas reference (#16: "still ahead of pandas"): read the detail CSV, coerce the four
# figures to numbers, sum by county (the code's first six digits). Run by pipeline/bench/bench.ts with
# Debian's python3-pandas (make bench installs it); prints one line `BENCH {json}` as case.ts does,
# the seconds counting the work after `import pandas`.
import json
import os
import resource
import sys
import time

t_start = time.perf_counter()
import pandas as pd  # noqa: E402

imported = time.perf_counter()
cpu0 = time.process_time()
path = sys.argv[1]
df = pd.read_csv(path, dtype=str, keep_default_na=False)
cols = ['悬挂红色标识的行政村', '悬挂红色标识的城市社区', '调整村社干部', '其中党组织书记']
for c in cols:
    df[c] = pd.to_numeric(df[c], errors='coerce')
by_county = df.groupby(df['村社代码'].str.slice(0, 6))[cols].sum()
seconds = time.perf_counter() - imported
cpu = time.process_time() - cpu0
print('BENCH ' + json.dumps({
    'case': 'pandas',
    'rows': int(len(df)),
    'bytes': os.path.getsize(path),
    'extra': {'counties': int(len(by_county)), 'version': pd.__version__},
    'seconds': seconds,
    'cpuSeconds': cpu,
    'startupSeconds': imported - t_start,
    'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    'retainedMB': None,
}))
