# Reference values from R for three statistics:
#  - TrendTests.cochranArmitage: stats::prop.trend.test (chi-squared, p-value) on four datasets, default and
#    custom scores, one with an empty group; the sign of z is the sign of the slope of the weighted lm that
#    prop.trend.test fits internally (lm(x/n ~ score, weights = n)).
#  - KaplanMeier.estimate(at:): summary(survfit(Surv(time, status) ~ 1, conf.type = ), times = , extend = TRUE)
#    (surv, lower, upper, n.risk) on aml and two small datasets, at times before the first event, at event
#    times, between them, at the last time and after it.
#  - LinearRegression with zero weights: stats::lm with weights (coefficients, SEs, confint, p, r.squared,
#    sigma, df.residual, nobs), a second reference beside statsmodels (core_research.py).
# Writes ../core_research_r.json. Run via regenerate.sh (needs r-base-core, r-cran-survival, r-cran-jsonlite).
suppressMessages({ library(survival); library(jsonlite) })
here <- function() { a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)]); if (length(f)) dirname(f) else "." }
na <- function(v) { v[!is.finite(v)] <- NA; v }

trend <- function(x, n, score = NULL) {
  t <- if (is.null(score)) prop.trend.test(x, n) else prop.trend.test(x, n, score)
  s <- if (is.null(score)) seq_along(x) else score
  keep <- n > 0
  slope <- coef(lm(p ~ s, data = list(p = x[keep] / n[keep], s = s[keep]), weights = n[keep]))[2]
  list(successes = x, totals = n, scores = if (is.null(score)) NA else score,
       chisq = unname(t$statistic), df = unname(t$parameter), p = t$p.value,
       z = unname(sign(slope) * sqrt(t$statistic)))
}
out <- list(versions = paste(R.version.string, "survival", as.character(packageVersion("survival"))))
smokers <- c(83, 90, 129, 70); patients <- c(86, 93, 136, 82)   # the example in ?prop.trend.test
out$trend <- list(
  smokers = trend(smokers, patients),
  smokers_step_scores = trend(smokers, patients, c(0, 0, 0, 1)),
  # A falling proportion, unequally spaced scores and an empty group (R's lm drops its 0/0 row).
  falling_with_empty_group = trend(c(12, 9, 0, 6, 3), c(30, 30, 0, 28, 25), c(0, 1, 2, 4, 8)),
  # A rising proportion with non-integer scores (z > 0).
  rising_custom_scores = trend(c(2, 5, 9, 14), c(40, 38, 41, 40), c(0.5, 1, 2.5, 6)))

at <- function(time, status, times, conf.type = "log") {
  s <- summary(survfit(Surv(time, status) ~ 1, conf.type = conf.type), times = times, extend = TRUE)
  list(time_in = time, status_in = status, conf_type = conf.type, times = s$time, surv = s$surv,
       lower = na(s$lower), upper = na(s$upper), n_risk = s$n.risk)
}
aml_times <- c(0, 4, 5, 6, 8, 9, 10, 30.5, 48, 100, 161, 200)
out$km_at <- list(
  aml_log = at(aml$time, aml$status, aml_times),
  aml_loglog = at(aml$time, aml$status, aml_times, "log-log"),
  # The last time is an event that empties the risk set: S = 0, no interval (NA) from then on.
  to_zero = at(c(1, 2, 3, 4, 5, 6, 7, 8), c(1, 1, 1, 1, 1, 0, 1, 1), c(0.5, 3, 5.5, 7.5, 8, 10)),
  # A censoring before the first event: S = 1 with interval [1, 1] until time 2.
  censored_first = at(c(1, 2, 3, 4, 5, 6), c(0, 1, 0, 1, 1, 0), c(0.5, 1, 1.5, 2, 3.5, 6, 9)))

# lm with precision weights, three of them zero (left out, not counted in df or nobs).
w <- 1 / mtcars$cyl; w[c(1, 5, 9)] <- 0
m <- lm(mpg ~ wt + hp, data = mtcars, weights = w)
sm <- summary(m)
out$lm_zero_weights <- list(x = unname(as.matrix(mtcars[, c("wt", "hp")])), y = mtcars$mpg, weights = w,
  params = unname(coef(m)), bse = unname(sm$coefficients[, 2]), pvalues = unname(sm$coefficients[, 4]),
  ci95 = unname(confint(m)), r_squared = sm$r.squared, sigma = sm$sigma, df_resid = m$df.residual, nobs = nobs(m))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", matrix = "rowmajor"),
           file.path(here(), "..", "core_research_r.json"))
cat("wrote core_research_r.json\n")
