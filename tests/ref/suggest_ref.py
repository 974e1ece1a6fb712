#!/usr/bin/env python3
# suggest_ref.py - an independent, deliberately plain implementation of SPEC 5.10 (suggested weights).
#
# Written from the spec and the README alone, in Python without numpy: it
# makes a small random dataset and scenario, computes the features (event
# counts in each lead's first horizon_days before its cutoff, fit
# indicators, per-unit values), the time split, the penalty by 5
# time-ordered folds, the penalised Newton fit, the standard errors, S and
# the points, and the average precision of current and suggested points on
# the test part; then compares them with what leadsim wrote.
# Usage: suggest_ref.py make DIR SEED      write DIR/data/*.csv and DIR/scenario.ini
#        suggest_ref.py check DIR OUTDIR   compare OUTDIR's tune files; prints ok/FAIL lines
import csv, datetime as dt, math, random, sys

TYPES = ["demo", "email", "webinar"]


def make(d, seed):
    import os
    r = random.Random(seed)
    os.makedirs(d + "/data", exist_ok=True)
    L, E, O = [], [], []
    n = r.randint(250, 450)
    for i in range(n):
        c = dt.datetime(2025, 1, 1) + dt.timedelta(days=i * 250 // n, hours=r.randint(0, 23))
        role = r.choice(["vp", "manager", "student", "", "intern"])
        visits = r.choice(["", "x"] + [str(k) for k in range(12)])
        p = 0.08 + (0.2 if role == "vp" else 0) - (0.05 if role == "student" else 0)
        k = {t: 0 for t in TYPES}
        k["demo"] = 1 if r.random() < 0.3 else 0
        k["email"] = r.randint(0, 6)
        k["webinar"] = r.randint(0, 2)
        p += 0.3 * k["demo"] + 0.02 * k["webinar"]
        won = r.random() < p
        lost = not won and r.random() < 0.5
        close = c + dt.timedelta(days=r.randint(5, 80))
        for t in TYPES:
            for j in range(k[t] + (1 if r.random() < 0.3 else 0)):
                # some events after the close or after the horizon: they must not count
                E.append(("L%04d" % i, c + dt.timedelta(days=r.randint(0, 100), minutes=j), t))
        L.append("L%04d,%s,%s,%s" % (i, c.strftime("%Y-%m-%d %H:%M"), role, visits))
        if won or lost:
            O.append("L%04d,%s,%s" % (i, "won" if won else "lost", close.strftime("%Y-%m-%d %H:%M")))
    E.sort()
    open(d + "/data/leads.csv", "w").write("lead_id,created_at,role,visits\n" + "\n".join(L) + "\n")
    open(d + "/data/events.csv", "w").write(
        "lead_id,timestamp,event\n" + "".join("%s,%s,%s\n" % (a, b.strftime("%Y-%m-%d %H:%M"), t) for a, b, t in E))
    open(d + "/data/outcomes.csv", "w").write("lead_id,status,closed_at\n" + "\n".join(O) + "\n")
    h = r.choice([20, 45, 60])
    lim = "[limits]\nemail = %d\n" % r.randint(2, 8) if seed % 2 else ""
    open(d + "/scenario.ini", "w").write(
        "[scenario]\nname = ref\ndata = data\n[behaviour]\ndemo = %d\nemail = %d\nwebinar = %d\n%s"
        "[fit role]\nvp = %d\nmanager = 3\nstudent = -4\ndefault = 1\n[fit visits]\nper_unit = 0.5\n"
        "[mql]\nthreshold = %d\n[evaluation]\nuntil = 2026-01-01\n[tune]\nhorizon_days = %d\n"
        % (r.randint(5, 30), r.randint(0, 3), r.randint(1, 10), lim, r.randint(2, 10), r.randint(5, 25), h))


def ini(path):
    sec, out = None, {}
    for line in open(path):
        line = line.split(";")[0].strip()
        if not line:
            continue
        if line.startswith("["):
            sec = line[1:-1]
            out.setdefault(sec, [])
        else:
            k, v = (x.strip() for x in line.split("=", 1))
            out[sec].append((k, v))
    return out


def fit(Z, y, w, lam, iters=200):
    p = len(Z[0]) if Z else 0
    q = p + 1
    sw = sum(w)
    pr = min(max(sum(wi * yi for wi, yi in zip(w, y)) / sw, 1e-6), 1 - 1e-6)
    th = [math.log(pr / (1 - pr))] + [0.0] * p
    for _ in range(iters):
        g = [0.0] * q
        H = [[0.0] * q for _ in range(q)]
        for z, yy, wi in zip(Z, y, w):
            if wi == 0:
                continue
            x = [1.0] + z
            eta = sum(a * b for a, b in zip(th, x))
            mu = 1 / (1 + math.exp(-eta))
            for a in range(q):
                g[a] += wi * (yy - mu) * x[a]
                for b in range(q):
                    H[a][b] += wi * mu * (1 - mu) * x[a] * x[b]
        for a in range(1, q):
            H[a][a] += lam
            g[a] -= lam * th[a]
        d = solve(H, g)
        th = [a + b for a, b in zip(th, d)]
        if max(abs(v) for v in d) < 1e-12:
            break
    inv = [solve(H, [1.0 if i == j else 0.0 for i in range(q)]) for j in range(q)]
    return th, [math.sqrt(inv[j][j]) for j in range(q)]


def solve(A, b):
    n = len(b)
    M = [row[:] + [bb] for row, bb in zip(A, b)]
    for i in range(n):
        piv = max(range(i, n), key=lambda k: abs(M[k][i]))
        M[i], M[piv] = M[piv], M[i]
        for k in range(i + 1, n):
            f = M[k][i] / M[i][i]
            for j in range(i, n + 1):
                M[k][j] -= f * M[i][j]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (M[i][n] - sum(M[i][j] * x[j] for j in range(i + 1, n))) / M[i][i]
    return x


def loss(eta, y):
    sp = eta + math.log1p(math.exp(-eta)) if eta > 0 else math.log1p(math.exp(eta))
    return sp - (eta if y else 0)


def ap(s, y):
    won = sum(y)
    order = sorted(range(len(s)), key=lambda i: -s[i])
    tot, tp, i = 0.0, 0, 0
    while i < len(order):
        j = i
        gain = 0
        while j < len(order) and s[order[j]] == s[order[i]]:
            gain += y[order[j]]
            j += 1
        tp += gain
        if gain:
            tot += gain / won * (tp / j)
        i = j
    return tot


def rnd(x):
    return math.copysign(math.floor(abs(x) + 0.5), x)


def check(d, outdir):
    P = lambda s: dt.datetime.strptime(s, "%Y-%m-%d %H:%M")
    sc = ini(d + "/scenario.ini")
    beh = {k: float(v) for k, v in sc["behaviour"]}
    lim = {k: float(v) for k, v in sc.get("limits", [])}
    role = sc["fit role"]
    H = dt.timedelta(days=float(dict(sc["tune"])["horizon_days"]))
    until = dt.datetime(2026, 1, 1)
    leads = [(r["lead_id"], P(r["created_at"]), r["role"], r["visits"]) for r in csv.DictReader(open(d + "/data/leads.csv"))]
    outs = {r["lead_id"]: r for r in csv.DictReader(open(d + "/data/outcomes.csv"))}
    ev = {}
    for r in csv.DictReader(open(d + "/data/events.csv")):
        ev.setdefault(r["lead_id"], []).append((P(r["timestamp"]), r["event"]))
    leads.sort(key=lambda l: l[1])
    names = [("event", t, "") for t in sorted(TYPES)] + [("fit", "role", k) for k, _ in role if k != "default"] + \
        [("fit", "role", "default"), ("fit", "visits", "per_unit")]
    X, Y, cur = [], [], []
    for lid, c, rl, vis in leads:
        o, cut, won = outs.get(lid), until, 0
        if o:
            cut, won = P(o["closed_at"]), o["status"] == "won"
        cut = min(cut, c + H)
        cnt = {t: 0 for t in TYPES}
        for t, e in ev.get(lid, []):
            if c <= t < cut:
                cnt[e] += 1
        keys = [k for k, _ in role if k != "default"]
        ind = [1.0 if rl == k else 0.0 for k in keys] + [0.0 if rl in keys else 1.0]
        try:
            v = float(vis) if vis else 0.0
        except ValueError:
            v = 0.0
        row = [float(cnt[t]) for t in sorted(TYPES)] + ind + [v]
        fitp = dict((k, float(p)) for k, p in role).get(rl if rl in keys else "default", 0.0) + 0.5 * v
        b = 0.0
        for t in TYPES:
            u = beh.get(t, 0) * cnt[t]
            if t in lim:
                u = max(-lim[t], min(lim[t], u))
            b += u
        X.append(row), Y.append(int(won)), cur.append(fitp + b)
    n = len(X)
    nt = n * 7 // 10
    p = len(X[0])
    mean = [sum(X[i][j] for i in range(nt)) / nt for j in range(p)]
    sd = [math.sqrt(sum((X[i][j] - mean[j]) ** 2 for i in range(nt)) / nt) for j in range(p)]
    Z = [[(X[i][j] - mean[j]) / sd[j] for j in range(p)] for i in range(nt)]
    lams = [10 ** (-2 + 0.5 * k) for k in range(11)]
    cv = []
    for lam in lams:
        tot = 0.0
        for f in range(5):
            w = [0.0 if i * 5 // nt == f else 1.0 for i in range(nt)]
            th, _ = fit(Z, Y[:nt], w, lam)
            tot += sum(loss(th[0] + sum(a * b for a, b in zip(th[1:], Z[i])), Y[i]) for i in range(nt) if i * 5 // nt == f)
        cv.append(tot / nt)
    best = max(k for k in range(11) if cv[k] <= min(cv))
    th, se = fit(Z, Y[:nt], [1.0] * nt, lams[best])
    coef = [th[j + 1] / sd[j] for j in range(p)]
    ses = [se[j + 1] / sd[j] for j in range(p)]
    a = [sum(cf * x for cf, x in zip(coef, X[i])) for i in range(nt)]
    var = lambda v: sum(x * x for x in v) / len(v) - (sum(v) / len(v)) ** 2
    S = math.sqrt(var(cur[:nt]) / var(a))
    pts = [rnd(cf * S) for cf in coef]
    fails = 0
    rows = list(csv.DictReader(open(outdir + "/tune-suggest.csv")))
    for (kind, name, value), cf, s, pt in zip(names, coef, ses, pts):
        r = [x for x in rows if (x["kind"], x["name"], x["value"]) == (kind, name, value)]
        if len(r) != 1:
            print("FAIL suggest-ref %s: no row %s %s %s" % (d, kind, name, value))
            fails += 1
            continue
        r = r[0]
        got = (float(r["coefficient"]), float(r["std_error"]), float(r["suggested_points"]))
        if abs(got[0] - cf) > 1e-6 * (1 + abs(cf)) or abs(got[1] - s) > 1e-6 * (1 + s) or got[2] != pt:
            print("FAIL suggest-ref %s: %s %s %s: leadsim %r, reference %r" % (d, kind, name, value, got, (cf, s, pt)))
            fails += 1
    hold = {r["weights"]: r for r in csv.DictReader(open(outdir + "/tune-holdout.csv"))}
    test = range(nt, n)
    sug = [sum(pt * X[i][j] for j, pt in enumerate(pts)) for i in test]
    for name, s in (("current", [cur[i] for i in test]), ("suggested", sug)):
        want = ap(s, [Y[i] for i in test])
        if abs(float(hold[name]["average_precision"]) - want) > 1e-9:
            print("FAIL suggest-ref %s: %s average precision %s, reference %r" % (d, name, hold[name]["average_precision"], want))
            fails += 1
    if len(rows) != len(names):
        print("FAIL suggest-ref %s: %d rows, reference %d" % (d, len(rows), len(names)))
        fails += 1
    if not fails:
        print("ok   suggest-ref %s (%d features, penalty %g)" % (d.split("/")[-1], p, lams[best]))
    return fails


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(1 if check(sys.argv[2], sys.argv[3]) else 0)
