# Reference values from R (pROC, survival, stats) for PeerLensStats tests.
# Regenerate: bash regenerate.sh   (needs r-base-core, r-cran-proc, r-cran-survival, r-cran-jsonlite)
suppressMessages({ library(pROC); library(survival); library(jsonlite) })
out <- list(notes = paste("R", R.version.string, "pROC", as.character(packageVersion("pROC")),
                          "survival", as.character(packageVersion("survival"))))

# 1. pROC's aSAH: DeLong AUC intervals and tests.
data(aSAH)
y <- as.integer(aSAH$outcome == "Poor")
r1 <- roc(aSAH$outcome, aSAH$s100b, levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
r2 <- roc(aSAH$outcome, aSAH$ndka, levels = c("Good", "Poor"), direction = "<", quiet = TRUE)
c1 <- ci.auc(r1, method = "delong"); c2 <- ci.auc(r2, method = "delong")
tp <- roc.test(r1, r2, method = "delong", paired = TRUE)
tu <- roc.test(r1, r2, method = "delong", paired = FALSE)
out$asah <- list(
  outcome = y, s100b = aSAH$s100b, ndka = aSAH$ndka,
  s100b_auc = as.numeric(auc(r1)), s100b_ci = c(c1[1], c1[3]),
  ndka_auc = as.numeric(auc(r2)), ndka_ci = c(c2[1], c2[3]),
  paired_z = unname(tp$statistic), paired_p = tp$p.value,
  unpaired_d = unname(tu$statistic), unpaired_p = tu$p.value,
  notes = "roc(outcome, score, levels=c('Good','Poor'), direction='<'); ci.auc(method='delong'); roc.test(method='delong', paired=TRUE/FALSE)")

# 2. Kaplan-Meier and log-rank on survival's aml.
fit <- survfit(Surv(time, status) ~ 1, data = aml, conf.type = "log")
fitll <- survfit(Surv(time, status) ~ 1, data = aml, conf.type = "log-log")
tab <- summary(fit)$table
sd <- survdiff(Surv(time, status) ~ x, data = aml)
out$km <- list(
  time_in = aml$time, status_in = aml$status, group_in = as.integer(aml$x == "Nonmaintained"),
  time = fit$time, n_risk = fit$n.risk, n_event = fit$n.event, surv = fit$surv, std_err = fit$std.err,
  lower = fit$lower, upper = fit$upper, lower_loglog = fitll$lower, upper_loglog = fitll$upper,
  median = unname(tab["median"]), median_lcl = unname(tab["0.95LCL"]), median_ucl = unname(tab["0.95UCL"]),
  logrank_chisq = sd$chisq, logrank_p = pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE),
  logrank_observed = as.numeric(sd$obs), logrank_expected = as.numeric(sd$exp),
  notes = "survfit(Surv(time,status)~1, conf.type='log' and 'log-log'); summary()$table median and 0.95 limits; survdiff(~x) with Maintained=0")

# 3. p.adjust.
p <- c(0.01, 0.04, 0.03, 0.005, 0.20, 0.049, 0.5)
out$p_adjust <- list(p = p, holm = p.adjust(p, "holm"), bh = p.adjust(p, "BH"))

# 4. Wilcoxon tests.
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
yy <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
a <- c(1,2,2,3,4,5,5,5,6,7,8,9); b <- c(2,3,3,4,6,6,7,8,9,10,11,12)
w1 <- wilcox.test(x, yy, paired = TRUE); w2 <- wilcox.test(x, yy)
w3 <- suppressWarnings(wilcox.test(a, b, exact = FALSE, correct = TRUE))
w4 <- suppressWarnings(wilcox.test(a, b, paired = TRUE, exact = FALSE, correct = TRUE))
out$wilcox <- list(x = x, y = yy, a = a, b = b,
  signed_exact_v = unname(w1$statistic), signed_exact_p = w1$p.value,
  ranksum_exact_w = unname(w2$statistic), ranksum_exact_p = w2$p.value,
  ranksum_ties_w = unname(w3$statistic), ranksum_ties_p = w3$p.value,
  signed_ties_v = unname(w4$statistic), signed_ties_p = w4$p.value)

# 5. Fisher and chi-squared.
t22 <- matrix(c(12, 3, 5, 10), nrow = 2)   # rows: [12, 5], [3, 10]
f <- fisher.test(t22)
c1 <- chisq.test(t22, correct = TRUE); c0 <- chisq.test(t22, correct = FALSE)
t23 <- matrix(c(20, 30, 15, 10, 25, 20), nrow = 2)  # rows: [20, 15, 25], [30, 10, 20]
c3 <- chisq.test(t23)
out$contingency <- list(table22 = list(c(12, 5), c(3, 10)), table23 = list(c(20, 15, 25), c(30, 10, 20)),
  fisher_p = f$p.value, fisher_or = unname(f$estimate), fisher_ci = as.numeric(f$conf.int),
  chisq_yates = unname(c1$statistic), chisq_yates_p = c1$p.value,
  chisq = unname(c0$statistic), chisq_p = c0$p.value,
  chisq23 = unname(c3$statistic), chisq23_df = unname(c3$parameter), chisq23_p = c3$p.value)

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "../r_reference.json")
