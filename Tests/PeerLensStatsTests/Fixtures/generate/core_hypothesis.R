# Reference values for the Hypothesis folder from R's stats package: t.test (Welch, Student, paired,
# one-sample), wilcox.test (signed-rank and rank-sum; exact, with ties, with zeros, normal approximation with and
# without continuity correction), chisq.test (r x c, 2 x 2 with and without Yates), fisher.test (2 x 2: p-value,
# conditional MLE odds ratio and its interval), p.adjust (holm, BH).
# Writes ../core_hypothesis_r.json. Run via regenerate.sh (needs r-base-core, r-cran-jsonlite).
suppressMessages(library(jsonlite))
here <- function() { a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)]); if (length(f)) dirname(f) else "." }
out <- list(versions = R.version.string)

tt <- function(res) list(statistic = unname(res$statistic), df = unname(res$parameter), p = res$p.value,
                         estimate = unname(if (length(res$estimate) == 2) res$estimate[1] - res$estimate[2] else res$estimate),
                         ci = as.numeric(res$conf.int))
a <- c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.8, 4.7, 5.9)
b <- c(6.1, 6.5, 5.9, 7.2, 6.8, 6.0, 7.4, 6.6)
p1 <- c(10, 12, 9, 14, 11, 13, 8, 12); p2 <- c(8, 11, 9, 10, 9, 12, 7, 9)
out$t <- list(a = a, b = b, p1 = p1, p2 = p2,
  welch = tt(t.test(a, b)), welch90 = tt(t.test(a, b, conf.level = 0.9)),
  student = tt(t.test(a, b, var.equal = TRUE)),
  paired = tt(t.test(p1, p2, paired = TRUE)), one_sample = tt(t.test(a)))

w <- function(res) list(statistic = unname(res$statistic), p = res$p.value)
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
ta <- c(1, 2, 2, 3, 4, 5, 5, 5, 6, 7, 8, 9); tb <- c(2, 3, 3, 4, 6, 6, 7, 8, 9, 10, 11, 12)
z1 <- c(1.5, 2, 3, 4, 5, 6, 7); z2 <- c(1.5, 1, 3.5, 2, 6, 4, 7.25)          # zeros in the paired differences
set.seed(3); big1 <- round(rnorm(80, 0.3), 3); big2 <- round(rnorm(70), 3)  # n >= 50: normal approximation
ex1 <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)  # R's ?wilcox.test example: no ties
ex2 <- c(1.15, 0.88, 0.90, 0.74, 1.21)
ql <- suppressWarnings
out$wilcox <- list(x = x, y = y, ex1 = ex1, ex2 = ex2, ta = ta, tb = tb, z1 = z1, z2 = z2, big1 = big1, big2 = big2[1:70],
  signed_exact = w(wilcox.test(x, y, paired = TRUE)),
  signed_ties = w(ql(wilcox.test(ta, tb, paired = TRUE))),
  signed_ties_nocorrect = w(ql(wilcox.test(ta, tb, paired = TRUE, correct = FALSE))),
  signed_zeros = w(ql(wilcox.test(z1, z2, paired = TRUE))),
  signed_big = w(wilcox.test(big1[1:70], big2[1:70], paired = TRUE)),
  signed_forced_normal = w(wilcox.test(x, y, paired = TRUE, exact = FALSE)),
  ranksum_exact = w(wilcox.test(ex1, ex2)),
  ranksum_xy_ties = w(ql(wilcox.test(x, y))),
  ranksum_ties = w(ql(wilcox.test(ta, tb))),
  ranksum_ties_nocorrect = w(ql(wilcox.test(ta, tb, correct = FALSE))),
  ranksum_big = w(wilcox.test(big1, big2)),
  ranksum_forced_normal = w(wilcox.test(x, y, exact = FALSE)))

chi <- function(res) list(statistic = unname(res$statistic), df = unname(res$parameter), p = res$p.value,
                          expected = unname(lapply(seq_len(nrow(res$expected)), function(i) res$expected[i, ])))
fis <- function(res) list(p = res$p.value, or = unname(res$estimate), ci = as.numeric(res$conf.int))
t22 <- rbind(c(12, 5), c(3, 10))
t22b <- rbind(c(0, 7), c(6, 4))         # a zero cell: conditional MLE 0, lower limit 0
t22c <- rbind(c(40, 160), c(12, 188))
t33 <- rbind(c(20, 15, 25), c(30, 10, 20), c(5, 12, 9))
tables <- list(t22 = t22, t22b = t22b, t22c = t22c)
out$contingency <- list(
  tables = lapply(tables, function(m) lapply(seq_len(nrow(m)), function(i) m[i, ])),
  t33 = lapply(1:3, function(i) t33[i, ]),
  chisq = lapply(tables, function(m) ql(chi(chisq.test(m, correct = FALSE)))),
  chisq_yates = lapply(tables, function(m) ql(chi(chisq.test(m, correct = TRUE)))),
  chisq33 = chi(chisq.test(t33)),
  fisher = lapply(tables, function(m) fis(fisher.test(m))),
  fisher90 = lapply(tables, function(m) fis(fisher.test(m, conf.level = 0.9))))

pv <- c(0.01, 0.04, 0.03, 0.005, 0.20, 0.049, 0.5, 0.03, 1, 0)
out$p_adjust <- list(p = pv, holm = p.adjust(pv, "holm"), bh = p.adjust(pv, "BH"))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), file.path(here(), "..", "core_hypothesis_r.json"))
cat("wrote core_hypothesis_r.json\n")
