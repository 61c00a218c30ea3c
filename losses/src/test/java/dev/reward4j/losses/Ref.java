package dev.reward4j.losses;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Independent float64 reference implementations in ND4J: textbook forms and hand-derived gradients
 * (no autodiff, no code shared with the DJL implementation). Every function returns the per-example
 * losses and the per-example partial derivatives; {@link #weightedMean} turns them into the
 * MEAN-reduced loss and its gradient.
 */
final class Ref {
    private Ref() {}

    static {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * Per-example losses {@code (B)} and partials, each of the input's shape (row b = d l_b / d
     * x_b).
     */
    record PerExample(INDArray loss, Map<String, INDArray> partials) {}

    /** A MEAN-reduced loss and its gradients. */
    record Result(double loss, Map<String, INDArray> grads) {}

    static INDArray vec(double... v) {
        return Nd4j.createFromArray(v).castTo(DataType.DOUBLE);
    }

    // ---- elementwise helpers (textbook forms) ----

    /** softplus(x) = max(x, 0) + log1p(exp(-|x|)). */
    static INDArray sp(INDArray x) {
        return Transforms.max(x, 0.0, true)
                .add(Transforms.log1p(Transforms.exp(Transforms.abs(x, true).neg(), false), false));
    }

    static INDArray sig(INDArray x) {
        return Transforms.exp(x.neg(), true).add(1.0).rdiv(1.0);
    }

    static INDArray exp(INDArray x) {
        return Transforms.exp(x, true);
    }

    static INDArray log(INDArray x) {
        return Transforms.log(x, true);
    }

    /** max(n, 1). */
    static INDArray atLeastOne(INDArray n) {
        return Transforms.max(n, 1.0, true);
    }

    static Map<String, INDArray> partials(Object... kv) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (INDArray) kv[i + 1]);
        }
        return m;
    }

    /**
     * L = sum_b w_b l_b / sum_b w_b (0 if the weights sum to 0); gradient rows scaled by w_b / sum
     * w.
     */
    static Result weightedMean(PerExample p, INDArray w) {
        double total = w.sumNumber().doubleValue();
        double denom = total == 0 ? 1 : total;
        double loss = p.loss().mul(w).sumNumber().doubleValue() / denom;
        Map<String, INDArray> g = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : p.partials().entrySet()) {
            INDArray part = e.getValue();
            INDArray scale = w.div(denom);
            if (part.rank() == 2) {
                scale = scale.reshape(part.size(0), 1);
                g.put(e.getKey(), part.mulColumnVector(scale));
            } else {
                g.put(e.getKey(), part.mul(scale));
            }
        }
        return new Result(loss, g);
    }

    // ---- reward-model objectives (rewards rc, rr) ----

    /** BT with margin m, smoothing eps and centering c. */
    static PerExample bt(INDArray rc, INDArray rr, INDArray m, double eps, double c) {
        INDArray d = rc.sub(rr).sub(m);
        INDArray sum = rc.add(rr);
        INDArray loss = sp(d.neg()).mul(1 - eps).add(sp(d).mul(eps)).add(sum.mul(sum).mul(c));
        INDArray dd = sig(d.neg()).mul(-(1 - eps)).add(sig(d).mul(eps));
        INDArray center = sum.mul(2 * c);
        return new PerExample(loss, partials("rc", dd.add(center), "rr", dd.neg().add(center)));
    }

    /** Eurus: -log s(d - m) - k log s(rc) - k log s(-rr). */
    static PerExample btDirect(INDArray rc, INDArray rr, INDArray m, double k) {
        INDArray d = rc.sub(rr).sub(m);
        INDArray loss = log(sig(d)).neg().sub(log(sig(rc)).mul(k)).sub(log(sig(rr.neg())).mul(k));
        INDArray dd = sig(d).rsub(1.0).neg();
        INDArray drc = dd.sub(sig(rc).rsub(1.0).mul(k));
        INDArray drr = dd.neg().add(sig(rr).mul(k));
        return new PerExample(loss, partials("rc", drc, "rr", drr));
    }

    static PerExample scaledBt(INDArray rc, INDArray rr, INDArray strength) {
        INDArray a = Transforms.abs(strength, true);
        INDArray d = rc.sub(rr);
        INDArray loss = log(sig(d)).neg().mul(a);
        INDArray dd = sig(d).rsub(1.0).neg().mul(a);
        return new PerExample(loss, partials("rc", dd, "rr", dd.neg()));
    }

    static PerExample softBt(INDArray rc, INDArray rr, INDArray p) {
        INDArray d = rc.sub(rr);
        INDArray loss = log(sig(d)).mul(p).add(log(sig(d.neg())).mul(p.rsub(1.0))).neg();
        INDArray dd = sig(d).sub(p);
        return new PerExample(loss, partials("rc", dd, "rr", dd.neg()));
    }

    /**
     * Rao-Kupper from the probabilities: P(win) = pi_c/(pi_c + theta pi_r), P(tie) as in the paper.
     */
    static PerExample raoKupper(INDArray rc, INDArray rr, INDArray tie, double nu) {
        double theta = Math.exp(nu);
        INDArray pc = exp(rc);
        INDArray pr = exp(rr);
        INDArray pWin = pc.div(pc.add(pr.mul(theta)));
        INDArray pTie =
                pc.mul(pr)
                        .mul(theta * theta - 1)
                        .div(pc.add(pr.mul(theta)).mul(pr.add(pc.mul(theta))));
        INDArray loss = log(pWin).neg().mul(tie.rsub(1.0)).add(log(pTie).neg().mul(tie));
        INDArray d = rc.sub(rr);
        // d/dd: win: -(1 - s(d - nu)); tie: -1 + s(d - nu) + s(d + nu)
        INDArray dWin = sig(d.sub(nu)).rsub(1.0).neg();
        INDArray dTie = sig(d.sub(nu)).add(sig(d.add(nu))).sub(1.0);
        INDArray dd = dWin.mul(tie.rsub(1.0)).add(dTie.mul(tie));
        return new PerExample(loss, partials("rc", dd, "rr", dd.neg()));
    }

    /** Masked MSE, mean over present ratings weighted by the example weight. */
    static Result regression(INDArray pred, INDArray target, INDArray mask, INDArray w) {
        INDArray wm = mask.mulColumnVector(w.reshape(w.length(), 1));
        double total = wm.sumNumber().doubleValue();
        double denom = total == 0 ? 1 : total;
        INDArray e = pred.sub(target);
        double loss = e.mul(e).mul(wm).sumNumber().doubleValue() / denom;
        return new Result(loss, partials("pred", e.mul(wm).mul(2 / denom)));
    }

    // ---- pairwise policy objectives ----

    /** Inputs: policy pc, pr; reference rc, rr (may be zeros); token counts nc, nr. */
    record Pol(INDArray pc, INDArray pr, INDArray rc, INDArray rr, INDArray nc, INDArray nr) {
        INDArray rhoC() {
            return pc.sub(rc);
        }

        INDArray rhoR() {
            return pr.sub(rr);
        }
    }

    /** Partials of a loss that depends on (rho_c, rho_r) only. */
    private static PerExample viaRho(INDArray loss, INDArray dRhoC, INDArray dRhoR) {
        return new PerExample(
                loss, partials("pc", dRhoC, "rc", dRhoC.neg(), "pr", dRhoR, "rr", dRhoR.neg()));
    }

    /** (1-eps) sp(-z) + eps sp(z) and its derivative wrt z. */
    private static INDArray[] smoothed(INDArray z, double eps) {
        INDArray loss = sp(z.neg()).mul(1 - eps).add(sp(z).mul(eps));
        INDArray dz = sig(z.neg()).mul(-(1 - eps)).add(sig(z).mul(eps));
        return new INDArray[] {loss, dz};
    }

    static PerExample cdpo(Pol p, double beta, double eps) {
        INDArray z = p.rhoC().sub(p.rhoR()).mul(beta);
        INDArray[] l = smoothed(z, eps);
        return viaRho(l[0], l[1].mul(beta), l[1].mul(-beta));
    }

    static PerExample rdpo(Pol p, double beta, double eps) {
        INDArray z = p.rhoC().sub(p.rhoR()).mul(beta);
        // [(1-e)(-log s(z)) + e log s(-z)] / (1-2e)
        INDArray loss =
                log(sig(z)).mul(-(1 - eps)).add(log(sig(z.neg())).mul(eps)).div(1 - 2 * eps);
        INDArray dz = sig(z.neg()).mul(-(1 - eps)).sub(sig(z).mul(eps)).div(1 - 2 * eps);
        return viaRho(loss, dz.mul(beta), dz.mul(-beta));
    }

    static PerExample ipo(Pol p, double beta) {
        INDArray nc = atLeastOne(p.nc());
        INDArray nr = atLeastOne(p.nr());
        INDArray h = p.rhoC().div(nc).sub(p.rhoR().div(nr)).sub(1 / (2 * beta));
        INDArray dh = h.mul(2);
        return viaRho(h.mul(h), dh.div(nc), dh.neg().div(nr));
    }

    static PerExample hinge(Pol p, double beta) {
        INDArray a = p.rhoC().sub(p.rhoR()).mul(-beta).add(1.0);
        INDArray active = a.gt(0.0).castTo(DataType.DOUBLE);
        INDArray loss = a.mul(active);
        return viaRho(loss, active.mul(-beta), active.mul(beta));
    }

    /** f-DPO: loss = sp(-beta * logits); kind = rkl | fkl | js | alpha. */
    static PerExample fdpo(Pol p, double beta, String kind, double alpha) {
        INDArray rc = p.rhoC();
        INDArray rr = p.rhoR();
        INDArray logits;
        INDArray dc;
        INDArray dr;
        switch (kind) {
            case "rkl":
                logits = rc.sub(rr);
                dc = Nd4j.onesLike(rc);
                dr = dc.neg();
                break;
            case "fkl": // -1/u_c + 1/u_r
                logits = exp(rr.neg()).sub(exp(rc.neg()));
                dc = exp(rc.neg());
                dr = exp(rr.neg()).neg();
                break;
            case "js": // log(2u/(1+u)) difference
                logits =
                        log(exp(rc).mul(2).div(exp(rc).add(1.0)))
                                .sub(log(exp(rr).mul(2).div(exp(rr).add(1.0))));
                dc = sig(rc.neg());
                dr = sig(rr.neg()).neg();
                break;
            case "alpha":
                logits = exp(rr.mul(-alpha)).sub(exp(rc.mul(-alpha))).div(alpha);
                dc = exp(rc.mul(-alpha));
                dr = exp(rr.mul(-alpha)).neg();
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        INDArray z = logits.mul(beta);
        INDArray dz = sig(z.neg()).neg().mul(beta);
        return viaRho(log(sig(z)).neg(), dz.mul(dc), dz.mul(dr));
    }

    static PerExample lnDpo(Pol p, double beta) {
        INDArray nc = atLeastOne(p.nc());
        INDArray nr = atLeastOne(p.nr());
        INDArray z = p.rhoC().div(nc).sub(p.rhoR().div(nr)).mul(beta);
        INDArray dz = sig(z.neg()).neg();
        return viaRho(log(sig(z)).neg(), dz.mul(beta).div(nc), dz.mul(-beta).div(nr));
    }

    static PerExample simpo(Pol p, double beta, double gamma, double eps) {
        INDArray nc = atLeastOne(p.nc());
        INDArray nr = atLeastOne(p.nr());
        INDArray z = p.pc().div(nc).sub(p.pr().div(nr)).mul(beta).sub(gamma);
        INDArray[] l = smoothed(z, eps);
        return new PerExample(
                l[0], partials("pc", l[1].mul(beta).div(nc), "pr", l[1].mul(-beta).div(nr)));
    }

    static PerExample orpo(Pol p, double beta) {
        INDArray nc = atLeastOne(p.nc());
        INDArray nr = atLeastOne(p.nr());
        INDArray xc = p.pc().div(nc);
        INDArray xr = p.pr().div(nr);
        INDArray oneMinusC = exp(xc).rsub(1.0);
        INDArray oneMinusR = exp(xr).rsub(1.0);
        // log odds = log(p_c/(1-p_c)) - log(p_r/(1-p_r))
        INDArray logOdds = xc.sub(log(oneMinusC)).sub(xr.sub(log(oneMinusR)));
        INDArray loss = log(sig(logOdds)).mul(-beta);
        INDArray dL = sig(logOdds.neg()).mul(-beta);
        return new PerExample(
                loss,
                partials("pc", dL.div(oneMinusC).div(nc), "pr", dL.neg().div(oneMinusR).div(nr)));
    }

    static PerExample cpo(Pol p, double beta, double eps) {
        INDArray z = p.pc().sub(p.pr()).mul(beta);
        INDArray[] l = smoothed(z, eps);
        return new PerExample(l[0], partials("pc", l[1].mul(beta), "pr", l[1].mul(-beta)));
    }

    /** AlphaPO-shaped CPO: r = (1 - e^{-alpha pi}) / alpha, z = beta (r_c - r_r). */
    static PerExample cpoAlpha(Pol p, double beta, double eps, double alpha) {
        INDArray ec = exp(p.pc().mul(-alpha));
        INDArray er = exp(p.pr().mul(-alpha));
        INDArray z = ec.rsub(1.0).div(alpha).sub(er.rsub(1.0).div(alpha)).mul(beta);
        INDArray[] l = smoothed(z, eps);
        return new PerExample(
                l[0], partials("pc", l[1].mul(beta).mul(ec), "pr", l[1].mul(-beta).mul(er)));
    }

    /** f-DPO with the TRL >= 0.29 alpha form (t^(a-1) - 1)/(a-1). */
    static PerExample fdpoPower(Pol p, double beta, double alpha) {
        double c = alpha - 1;
        INDArray ec = exp(p.rhoC().mul(c));
        INDArray er = exp(p.rhoR().mul(c));
        INDArray z = ec.sub(er).div(c).mul(beta);
        INDArray dz = sig(z.neg()).neg().mul(beta);
        return viaRho(log(sig(z)).neg(), dz.mul(ec), dz.neg().mul(er));
    }

    /** EXO pair: q (log q - log(1-eps)) + (1-q)(log(1-q) - log eps), q = s(z). */
    static PerExample exo(Pol p, double beta, double eps) {
        INDArray z = p.rhoC().sub(p.rhoR()).mul(beta);
        INDArray q = sig(z);
        INDArray loss =
                q.mul(log(q).sub(Math.log1p(-eps)))
                        .add(q.rsub(1.0).mul(log(q.rsub(1.0)).sub(Math.log(eps))));
        // dL/dz = q (1-q) (z - log(1-eps) + log eps)
        INDArray dz = q.mul(q.rsub(1.0)).mul(z.sub(Math.log1p(-eps)).add(Math.log(eps)));
        return viaRho(loss, dz.mul(beta), dz.mul(-beta));
    }

    /** NCA pair on r = beta rho: -log s(r_c) - 0.5 log s(-r_c) - 0.5 log s(-r_r). */
    static PerExample nca(Pol p, double beta) {
        INDArray rc = p.rhoC().mul(beta);
        INDArray rr = p.rhoR().mul(beta);
        INDArray loss =
                log(sig(rc))
                        .neg()
                        .sub(log(sig(rc.neg())).mul(0.5))
                        .sub(log(sig(rr.neg())).mul(0.5));
        INDArray dc = sig(rc).rsub(1.0).neg().add(sig(rc).mul(0.5));
        INDArray dr = sig(rr).mul(0.5);
        return viaRho(loss, dc.mul(beta), dr.mul(beta));
    }

    /** BCO pair: -log s(beta rho_c) - log s(-beta rho_r). */
    static PerExample bcoPair(Pol p, double beta) {
        INDArray rc = p.rhoC().mul(beta);
        INDArray rr = p.rhoR().mul(beta);
        INDArray loss = log(sig(rc)).neg().sub(log(sig(rr.neg())));
        return viaRho(loss, sig(rc).rsub(1.0).neg().mul(beta), sig(rr).mul(beta));
    }

    /** SPPO hard: (rho_c - 1/(2 beta))^2 + (rho_r + 1/(2 beta))^2. */
    static PerExample sppo(Pol p, double beta) {
        INDArray a = p.rhoC().sub(0.5 / beta);
        INDArray b = p.rhoR().add(0.5 / beta);
        return viaRho(a.mul(a).add(b.mul(b)), a.mul(2), b.mul(2));
    }

    /** APO-zero: 1 - s(beta rho_c) + s(beta rho_r). */
    static PerExample apoZero(Pol p, double beta) {
        INDArray sc = sig(p.rhoC().mul(beta));
        INDArray sr = sig(p.rhoR().mul(beta));
        INDArray loss = sc.rsub(1.0).add(sr);
        return viaRho(loss, sc.mul(sc.rsub(1.0)).mul(-beta), sr.mul(sr.rsub(1.0)).mul(beta));
    }

    /** APO-down: s(beta rho_c) + 1 - s(beta (rho_c - rho_r)). */
    static PerExample apoDown(Pol p, double beta) {
        INDArray sc = sig(p.rhoC().mul(beta));
        INDArray su = sig(p.rhoC().sub(p.rhoR()).mul(beta));
        INDArray loss = sc.add(su.rsub(1.0));
        INDArray du = su.mul(su.rsub(1.0)).mul(beta);
        return viaRho(loss, sc.mul(sc.rsub(1.0)).mul(beta).sub(du), du);
    }

    /** DiscoPOP: (1 - m) sp(-z) + m e^{-z}, m = s(z / tau), z = beta (rho_c - rho_r). */
    static PerExample discoPop(Pol p, double beta, double tau) {
        INDArray z = p.rhoC().sub(p.rhoR()).mul(beta);
        INDArray m = sig(z.div(tau));
        INDArray e = exp(z.neg());
        INDArray loss = m.rsub(1.0).mul(sp(z.neg())).add(m.mul(e));
        INDArray dm = m.mul(m.rsub(1.0)).div(tau);
        INDArray dz =
                dm.neg()
                        .mul(sp(z.neg()))
                        .sub(m.rsub(1.0).mul(sig(z.neg())))
                        .add(dm.mul(e))
                        .sub(m.mul(e));
        return viaRho(loss, dz.mul(beta), dz.mul(-beta));
    }

    /** SFT: -B pc / max(sum nc, 1) per example (batch token mean of the chosen NLL). */
    static PerExample sft(Pol p) {
        double denom = Math.max(p.nc().sumNumber().doubleValue(), 1) / p.nc().length();
        return new PerExample(
                p.pc().neg().div(denom),
                partials("pc", Nd4j.valueArrayOf(p.pc().shape(), -1 / denom)));
    }

    /** Weighted sum of per-example losses and their partials. */
    static PerExample combine(double[] weights, PerExample... parts) {
        INDArray loss = parts[0].loss().mul(weights[0]);
        Map<String, INDArray> g = new LinkedHashMap<>();
        parts[0].partials().forEach((k, v) -> g.put(k, v.mul(weights[0])));
        for (int i = 1; i < parts.length; i++) {
            double w = weights[i];
            loss = loss.add(parts[i].loss().mul(w));
            parts[i].partials().forEach((k, v) -> g.merge(k, v.mul(w), INDArray::add));
        }
        return new PerExample(loss, g);
    }

    /**
     * AOT: per rank i of the kept rows (w > 0), delta = sort(x)_i - sort(y)_i, smoothed sigmoid
     * loss, averaged over kept ranks. paired: x = pc - pr, y = rc - rr; unpaired: x = rho_c, y =
     * rho_r.
     */
    static Result aot(Pol p, INDArray w, double beta, double eps, boolean paired) {
        INDArray x = paired ? p.pc().sub(p.pr()) : p.rhoC();
        INDArray y = paired ? p.rc().sub(p.rr()) : p.rhoR();
        List<Integer> kept = new ArrayList<>();
        for (int b = 0; b < w.length(); b++) {
            if (w.getDouble(b) > 0) {
                kept.add(b);
            }
        }
        List<Integer> ix = new ArrayList<>(kept);
        List<Integer> iy = new ArrayList<>(kept);
        ix.sort(Comparator.comparingDouble(x::getDouble));
        iy.sort(Comparator.comparingDouble(y::getDouble));
        int n = kept.size();
        double[] gx = new double[(int) w.length()];
        double[] gy = new double[(int) w.length()];
        double total = 0;
        for (int i = 0; i < n; i++) {
            INDArray z = vec(beta * (x.getDouble(ix.get(i)) - y.getDouble(iy.get(i))));
            INDArray[] l = smoothed(z, eps);
            total += l[0].getDouble(0) / n;
            gx[ix.get(i)] += beta * l[1].getDouble(0) / n;
            gy[iy.get(i)] -= beta * l[1].getDouble(0) / n;
        }
        INDArray dx = vec(gx);
        INDArray dy = vec(gy);
        Map<String, INDArray> g =
                paired
                        ? partials("pc", dx, "pr", dx.neg(), "rc", dy, "rr", dy.neg())
                        : partials("pc", dx, "rc", dx.neg(), "pr", dy, "rr", dy.neg());
        return new Result(n == 0 ? 0 : total, g);
    }

    /** Adds coef * nll over prompt and response tokens (batch token mean); prompt in pp / np. */
    static PerExample plusPromptNll(PerExample base, Pol p, INDArray pp, INDArray np, double coef) {
        double n = Math.max(p.nc().add(np).sumNumber().doubleValue(), 1);
        double denom = n / p.nc().length();
        INDArray nll = p.pc().add(pp).neg().div(denom);
        Map<String, INDArray> parts = new LinkedHashMap<>(base.partials());
        parts.put("pc", parts.get("pc").sub(coef / denom));
        parts.put("pp", Nd4j.valueArrayOf(p.pc().shape(), -coef / denom));
        return new PerExample(base.loss().add(nll.mul(coef)), parts);
    }

    /** WPO: base losses and partials times w = min(exp(ac + ar), max) (detached). */
    static PerExample wpo(PerExample base, INDArray ac, INDArray ar, double max) {
        INDArray w = Transforms.min(exp(ac.add(ar)), max, true);
        Map<String, INDArray> g = new LinkedHashMap<>();
        base.partials().forEach((k, v) -> g.put(k, v.mul(w)));
        return new PerExample(base.loss().mul(w), g);
    }

    /**
     * LD-DPO: base on log-probs minus (1 - alpha) tails; the tail partials are -(1 - alpha) times
     * the corresponding log-prob partials.
     */
    static PerExample ld(
            java.util.function.Function<Pol, PerExample> base,
            Pol p,
            INDArray tpc,
            INDArray tpr,
            INDArray trc,
            INDArray trr,
            double alpha) {
        double d = 1 - alpha;
        Pol adj =
                new Pol(
                        p.pc().sub(tpc.mul(d)),
                        p.pr().sub(tpr.mul(d)),
                        p.rc().sub(trc.mul(d)),
                        p.rr().sub(trr.mul(d)),
                        p.nc(),
                        p.nr());
        PerExample b = base.apply(adj);
        Map<String, INDArray> g = new LinkedHashMap<>(b.partials());
        g.put("tpc", b.partials().get("pc").mul(-d));
        g.put("tpr", b.partials().get("pr").mul(-d));
        g.put("trc", b.partials().get("rc").mul(-d));
        g.put("trr", b.partials().get("rr").mul(-d));
        return new PerExample(b.loss(), g);
    }

    /** Unpaired APO-zero: d wd s(-beta rho) + (1-d) wu s(beta rho). */
    static PerExample apoZeroUnpaired(
            INDArray pol, INDArray ref, INDArray des, double beta, double wd, double wu) {
        INDArray x = pol.sub(ref).mul(beta);
        INDArray s = sig(x);
        INDArray loss = s.rsub(1.0).mul(wd).mul(des).add(s.mul(wu).mul(des.rsub(1.0)));
        INDArray ds = s.mul(s.rsub(1.0)).mul(beta);
        INDArray d = ds.mul(-wd).mul(des).add(ds.mul(wu).mul(des.rsub(1.0)));
        return new PerExample(loss, partials("pol", d, "ref", d.neg()));
    }

    /** Adds coef * nll on the chosen response (batchMean: TRL token mean over the batch). */
    static PerExample plusNll(PerExample base, Pol p, double coef, boolean batchMean) {
        INDArray denom;
        if (batchMean) {
            double n = Math.max(p.nc().sumNumber().doubleValue(), 1);
            denom = Nd4j.valueArrayOf(p.nc().shape(), n / p.nc().length());
        } else {
            denom = atLeastOne(p.nc());
        }
        INDArray nll = p.pc().neg().div(denom);
        Map<String, INDArray> parts = new LinkedHashMap<>(base.partials());
        parts.put("pc", parts.get("pc").sub(denom.rdiv(coef)));
        return new PerExample(base.loss().add(nll.mul(coef)), parts);
    }

    // ---- unpaired ----

    /** KTO with z0 = max(0, mean(klp - klr)). */
    static PerExample kto(
            INDArray pol,
            INDArray ref,
            INDArray des,
            INDArray klp,
            INDArray klr,
            double beta,
            double wd,
            double wu) {
        double z0 = Math.max(0, klp.sub(klr).meanNumber().doubleValue());
        INDArray rho = pol.sub(ref);
        INDArray x = rho.sub(z0).mul(beta);
        INDArray lossD = sig(x).rsub(1.0).mul(wd);
        INDArray lossU = sig(x.neg()).rsub(1.0).mul(wu);
        INDArray ds = sig(x).mul(sig(x).rsub(1.0)).mul(beta); // d sigma(x) / d rho
        INDArray loss = lossD.mul(des).add(lossU.mul(des.rsub(1.0)));
        INDArray d = ds.mul(-wd).mul(des).add(ds.mul(wu).mul(des.rsub(1.0)));
        return new PerExample(loss, partials("pol", d, "ref", d.neg()));
    }

    /**
     * BCO with a running mean (mean, count) over every reward seen: this batch's rewards enter with
     * their weights, delta = (mean * count + sum w r) / (count + sum w).
     */
    static PerExample bco(
            INDArray pol,
            INDArray ref,
            INDArray des,
            INDArray w,
            double beta,
            double mean,
            double count) {
        INDArray r = pol.sub(ref).mul(beta);
        double total = w.sumNumber().doubleValue();
        double delta = mean;
        if (total > 0) {
            delta = (mean * count + r.mul(w).sumNumber().doubleValue()) / (count + total);
        }
        INDArray x = r.sub(delta);
        INDArray loss = log(sig(x)).neg().mul(des).add(log(sig(x.neg())).neg().mul(des.rsub(1.0)));
        INDArray dx = sig(x.neg()).neg().mul(des).add(sig(x).mul(des.rsub(1.0)));
        return new PerExample(loss, partials("pol", dx.mul(beta), "ref", dx.mul(-beta)));
    }

    // ---- listwise (per list, explicit sorting) ----

    /** Valid item indices of row b ordered by label descending, ties by position. */
    private static List<Integer> byLabel(INDArray y, INDArray m, int b) {
        List<Integer> idx = new ArrayList<>();
        for (int k = 0; k < y.size(1); k++) {
            if (m.getDouble(b, k) > 0) {
                idx.add(k);
            }
        }
        idx.sort(Comparator.comparingDouble((Integer k) -> -y.getDouble(b, k)));
        return idx;
    }

    /** log sum exp over a vector with max subtraction, and the softmax. */
    private static double[] lseSoftmax(double[] a, double[] softmaxOut) {
        INDArray v = vec(a);
        double max = v.maxNumber().doubleValue();
        INDArray e = exp(v.sub(max));
        double sum = e.sumNumber().doubleValue();
        INDArray sm = e.div(sum);
        for (int i = 0; i < a.length; i++) {
            softmaxOut[i] = sm.getDouble(i);
        }
        return new double[] {max + Math.log(sum)};
    }

    /** Per-list losses and partials d l_b / d s_{b,k}. */
    interface ListFn {
        void list(INDArray s, INDArray y, INDArray m, int b, double[] lossOut, INDArray grad);
    }

    static PerExample listwise(INDArray s, INDArray y, INDArray m, ListFn fn) {
        int bs = (int) s.size(0);
        double[] loss = new double[bs];
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, s.shape());
        for (int b = 0; b < bs; b++) {
            fn.list(s, y, m, b, loss, grad);
        }
        return new PerExample(vec(loss), partials("s", grad));
    }

    /** ListMLE: sum_t [lse(s_{pi(t..)}) - s_{pi(t)}]. */
    static void plackettLuce(INDArray s, INDArray y, INDArray m, int b, double[] loss, INDArray g) {
        List<Integer> order = byLabel(y, m, b);
        int n = order.size();
        double total = 0;
        for (int t = 0; t < n; t++) {
            double[] a = new double[n - t];
            for (int u = t; u < n; u++) {
                a[u - t] = s.getDouble(b, order.get(u));
            }
            double[] sm = new double[a.length];
            double lse = lseSoftmax(a, sm)[0];
            total += lse - a[0];
            for (int u = t; u < n; u++) {
                int k = order.get(u);
                g.putScalar(b, k, g.getDouble(b, k) + sm[u - t]);
            }
            int k0 = order.get(t);
            g.putScalar(b, k0, g.getDouble(b, k0) - 1);
        }
        loss[b] = total;
    }

    /** ListNet: -sum P log Q, gradient Q - P. */
    static ListFn listNet(double tau) {
        return (s, y, m, b, loss, g) -> {
            List<Integer> items = byLabel(y, m, b);
            int n = items.size();
            double[] ys = new double[n];
            double[] ss = new double[n];
            for (int i = 0; i < n; i++) {
                ys[i] = y.getDouble(b, items.get(i)) / tau;
                ss[i] = s.getDouble(b, items.get(i));
            }
            double[] p = new double[n];
            double[] q = new double[n];
            lseSoftmax(ys, p);
            double lse = lseSoftmax(ss, q)[0];
            double total = 0;
            for (int i = 0; i < n; i++) {
                total -= p[i] * (ss[i] - lse);
                g.putScalar(b, items.get(i), q[i] - p[i]);
            }
            loss[b] = total;
        };
    }

    /** LiPO-lambda with ranks from sorting the scores (ties by position). */
    static void lipo(INDArray s, INDArray y, INDArray m, int b, double[] loss, INDArray g) {
        List<Integer> items = byLabel(y, m, b);
        List<Integer> byScore = new ArrayList<>(items);
        byScore.sort(
                Comparator.comparingDouble((Integer k) -> -s.getDouble(b, k))
                        .thenComparingInt(k -> k));
        Map<Integer, Double> invD = new LinkedHashMap<>();
        for (int r = 0; r < byScore.size(); r++) {
            invD.put(byScore.get(r), 1 / (Math.log(2 + r) / Math.log(2)));
        }
        double total = 0;
        for (int i : items) {
            for (int j : items) {
                double yi = y.getDouble(b, i);
                double yj = y.getDouble(b, j);
                if (yi <= yj) {
                    continue;
                }
                double delta =
                        Math.abs(Math.pow(2, yi) - Math.pow(2, yj))
                                * Math.abs(invD.get(i) - invD.get(j));
                INDArray d = vec(s.getDouble(b, i) - s.getDouble(b, j));
                total += delta * sp(d.neg()).getDouble(0);
                double gd = -delta * sig(d.neg()).getDouble(0);
                g.putScalar(b, i, g.getDouble(b, i) + gd);
                g.putScalar(b, j, g.getDouble(b, j) - gd);
            }
        }
        loss[b] = total;
    }

    /** PRO with T_ki = 1/(y_k - y_i) over strictly lower items, T_kk = min T_ki. */
    static void pro(INDArray s, INDArray y, INDArray m, int b, double[] loss, INDArray g) {
        List<Integer> items = byLabel(y, m, b);
        double total = 0;
        for (int k : items) {
            List<Integer> lower = new ArrayList<>();
            for (int i : items) {
                if (y.getDouble(b, i) < y.getDouble(b, k)) {
                    lower.add(i);
                }
            }
            if (lower.isEmpty()) {
                continue;
            }
            double[] coef = new double[lower.size() + 1];
            int[] who = new int[lower.size() + 1];
            // paper eqs. 7-8: exp(s / T) with 1/T_ki = y_k - y_i and 1/T_kk = max_i (y_k - y_i)
            double tkk = 0;
            for (int u = 0; u < lower.size(); u++) {
                coef[u + 1] = y.getDouble(b, k) - y.getDouble(b, lower.get(u));
                who[u + 1] = lower.get(u);
                tkk = Math.max(tkk, coef[u + 1]);
            }
            coef[0] = tkk;
            who[0] = k;
            double[] a = new double[coef.length];
            for (int u = 0; u < a.length; u++) {
                a[u] = s.getDouble(b, who[u]) * coef[u];
            }
            double[] sm = new double[a.length];
            double lse = lseSoftmax(a, sm)[0];
            total += lse - a[0];
            for (int u = 0; u < a.length; u++) {
                g.putScalar(b, who[u], g.getDouble(b, who[u]) + sm[u] * coef[u]);
            }
            g.putScalar(b, k, g.getDouble(b, k) - tkk);
        }
        loss[b] = total;
    }

    /** All-pairs BT: mean over pairs with y_i > y_j of -log s(s_i - s_j). */
    static void allPairs(INDArray s, INDArray y, INDArray m, int b, double[] loss, INDArray g) {
        List<Integer> items = byLabel(y, m, b);
        List<int[]> pairs = new ArrayList<>();
        for (int i : items) {
            for (int j : items) {
                if (y.getDouble(b, i) > y.getDouble(b, j)) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        double total = 0;
        for (int[] pr : pairs) {
            INDArray d = vec(s.getDouble(b, pr[0]) - s.getDouble(b, pr[1]));
            total += log(sig(d)).neg().getDouble(0) / pairs.size();
            double gd = -sig(d.neg()).getDouble(0) / pairs.size();
            g.putScalar(b, pr[0], g.getDouble(b, pr[0]) + gd);
            g.putScalar(b, pr[1], g.getDouble(b, pr[1]) - gd);
        }
        loss[b] = total;
    }
}
