# Reference values for the Survival folder from R's survival package: survfit (Kaplan-Meier, Greenwood
# standard errors, conf.type "log" (default), "plain" and "log-log"; median survival and its limits from
# summary()$table) and survdiff (log-rank for 2 and 4 groups).
# Writes ../core_survival.json. Run via regenerate.sh (needs r-base-core, r-cran-survival, r-cran-jsonlite).
suppressMessages({ library(survival); library(jsonlite) })
here <- function() { a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)]); if (length(f)) dirname(f) else "." }
na <- function(v) { v[!is.finite(v)] <- NA; v }

km <- function(time, status) {
  fits <- lapply(c(log = "log", plain = "plain", loglog = "log-log"), function(ct) survfit(Surv(time, status) ~ 1, conf.type = ct))
  f <- fits$log
  out <- list(time_in = time, status_in = status, time = f$time, n_risk = f$n.risk, n_event = f$n.event,
              n_censor = f$n.censor, surv = f$surv, std_err = na(f$std.err))
  for (ct in names(fits)) {
    tab <- summary(fits[[ct]])$table
    out[[ct]] <- list(lower = na(fits[[ct]]$lower), upper = na(fits[[ct]]$upper), median = na(unname(tab["median"])),
                      median_lcl = na(unname(tab["0.95LCL"])), median_ucl = na(unname(tab["0.95UCL"])))
  }
  out
}
out <- list(versions = paste(R.version.string, "survival", as.character(packageVersion("survival"))))
out$aml <- km(aml$time, aml$status)
# Survival reaches exactly 0.5 (median is the midpoint to the next event time) and the last time is an event (S = 0).
out$half <- km(c(1, 2, 3, 4, 5, 6, 7, 8), c(1, 1, 1, 1, 1, 0, 1, 1))
# Tied event and censoring times.
out$ties <- km(c(2, 2, 2, 3, 3, 5, 5, 5, 8, 9, 9, 12), c(1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0))

lr <- function(time, status, group) {
  sd <- survdiff(Surv(time, status) ~ group)
  list(time = time, status = status, group = group, chisq = sd$chisq, df = length(sd$n) - 1,
       p = pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE),
       observed = as.numeric(sd$obs), expected = as.numeric(sd$exp))
}
out$logrank2 <- lr(aml$time, aml$status, as.integer(aml$x == "Nonmaintained"))
out$logrank4 <- lr(veteran$time, veteran$status, as.integer(veteran$celltype))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null"), file.path(here(), "..", "core_survival.json"))
cat("wrote core_survival.json\n")
