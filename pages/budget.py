"""Budget and spend: the year on one screen, year against year at the same day, pledges and cash."""

import streamlit as st

from ccm_analytics import figures
from ccm_analytics import formatting as fmt
from ccm_analytics.analysis.budget import LINE_FLAG_THRESHOLD, MIN_SEASONAL_SHARE, pace_words, same_day_by_line
from ccm_analytics.views import budget_years, default_budget_year
from ccm_analytics.ui import widgets as w
from ccm_analytics.ui.cache import view

run = w.header("Budget and spend", "How much is spent, where the year will end, how it compares with last year "
               "at this time, and how much money is missing.")
years = budget_years(run.data)
if not years:
    w.empty("No budget is loaded.", "Load a workbook with a Budget sheet on the Data page.")
    st.stop()

default = default_budget_year(run.data, run.as_of)
if len(years) <= 8:
    year = st.segmented_control("Budget year", years, default=default, key="budget_year", format_func=str) or default
else:
    year = st.selectbox("Budget year", years, index=years.index(default), key="budget_year")

v = view("budget", year=year)
s, t, p = v.status, v.status.total, v.projection
cur = s.currency
last = v.last_year
over = p.is_actual
counted = fmt.day(min(run.as_of, s.as_of.replace(month=12, day=31)) if over else run.as_of)

# -- the headline: budget, spent, year-end, received, gap (amounts in the labels' currency) -------------------------
def amount(x) -> str:
    """An amount without its currency (the card's label names it): ``465,440``."""
    return "–" if x is None else fmt.chf(x, cur).replace(f"{cur} ", "")


c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(f"Budget {year} ({cur})", amount(t.budget))
c1.caption(f"{fmt.count(len(s.lines), 'cost line')}. " + (
    "The year is over." if over else "The year has not started." if p.method is None
    else f"{fmt.pct(s.elapsed_fraction)} of the year gone on {fmt.day(run.as_of)}."))

c2.metric(f"Spent in {year} ({cur})" if over else f"Spent to date ({cur})", amount(t.spent),
          delta=f"{fmt.pct(t.burn_rate)} of the budget", delta_color="off", delta_arrow="off")
if not over and p.method is not None:
    c2.caption(pace_words(t.pace).capitalize() + (
        f". Same day last year: {fmt.chf(last['spent'], cur)}, {fmt.pct(last['burn_rate'])}." if last is not None
        else "."))

if p.method is None:
    c3.metric(f"Projected year-end ({cur})", "–")
    c3.caption("Nothing to project before the year starts.")
else:
    variance = p.year_end - t.budget
    side = "over" if variance > 0 else "under"
    c3.metric(f"{'Actual' if over else 'Projected'} year-end ({cur})", amount(p.year_end),
              delta=f"{'-' if variance < 0 else '+'}{fmt.pct(abs(variance) / t.budget) if t.budget else '–'} vs budget",
              delta_color="inverse")
    if over:
        c3.caption(f"{fmt.chf(abs(variance), cur)} {side} the budget: what was spent in {year}.")
    elif p.margin is not None:
        c3.caption(f"{fmt.chf(abs(variance), cur)} {side}; usually within ± {fmt.chf(p.margin, cur)} at this "
                   f"point of the year: {amount(p.low)} to {amount(p.high)}.")
    else:
        c3.caption(f"{fmt.chf(abs(variance), cur)} {side}; straight line, no range yet (no earlier year to learn from).")

c4.metric(f"Funding received ({cur})", amount(s.received),
          delta=f"{fmt.pct(s.received_share)} of the budget", delta_color="off", delta_arrow="off")
if not over and p.method is not None:
    c4.caption((f"Same day last year: {fmt.chf(last['received'], cur)}. " if last is not None else "")
               + (f"Cash {fmt.chf(v.cash.balance, cur)}" + (
                   f", {v.cash.months_covered:.1f} months of spend." if v.cash.months_covered else ".")
                  if v.cash.balance >= 0 else f"{fmt.chf(-v.cash.balance, cur)} more spent than received."))

c5.metric(f"Funding gap ({cur})", amount(s.funding_gap),
          delta=f"{fmt.pct(s.funding_gap / t.budget) if t.budget else '–'} of the budget", delta_color="off",
          delta_arrow="off")
if v.pledges is not None:
    after = v.pledges.gap_after_pledges
    c5.caption(f"{fmt.chf(v.pledges.outstanding, cur)} pledged, not yet in: "
               + (f"{fmt.chf(after, cur)} missing after pledges." if after > 0
                  else f"pledges cover the gap, {fmt.chf(-after, cur)} to spare."))
else:
    c5.caption("Budget minus contributions received.")

# -- every cost line, hot lines first ---------------------------------------------------------------------------
if t.budget == 0 and t.spent == 0:
    w.empty(f"Nothing is budgeted or spent for {year}.")
else:
    n_hot = int(v.outlook["flag"].sum())
    st.markdown(f"**Cost lines**: {fmt.count(n_hot, 'line')} off budget by more than "
                f"{fmt.pct(LINE_FLAG_THRESHOLD)} at year-end" + (" (listed first)." if n_hot else "."))
    w.table(v.outlook, f"budget-lines-{year}", key="outlook", status_columns=("status",),
            columns=["cost_line", "status", "variance_share", "year_end", "budget", "spent", "burn_rate",
                     "pace_words"],
            column_config={
                "cost_line": "Cost line", "status": "Outlook", "variance_share": w.pct_col("Year-end vs budget"),
                "year_end": w.chf_col("Actual" if over else "Year-end", cur),
                "budget": w.chf_col("Budget", cur), "spent": w.chf_col("Spent", cur),
                "burn_rate": w.pct_col("Spent / budget"), "pace_words": "Pace vs calendar"})

# -- how the year-end was projected ------------------------------------------------------------------------------
if p.method in ("seasonal", "linear") and not over:
    bt = p.backtest
    learned = f"{p.history[0]}–{p.history[-1]}" if len(p.history) > 1 else (str(p.history[0]) if p.history else "")
    if p.method == "seasonal":
        how = (f"**Seasonal projection**: each cost line's spend so far divided by the share of its annual spend "
               f"that {learned} had spent by {fmt.day(run.as_of)[:-5]}. ")
    else:
        how = "**Straight-line projection**: spend so far divided by the share of the year gone. "
    if bt is not None:
        other = "straight line" if p.method == "seasonal" else "seasonal method"
        other_end = p.linear_year_end if p.method == "seasonal" else p.seasonal_year_end
        how += (f"Replayed at every month-end of {', '.join(map(str, bt.years))}, it was off the real year-end by "
                f"{fmt.chf(min(bt.linear_mae, bt.seasonal_mae), cur)} on average; the {other} "
                f"({fmt.chf(other_end, cur)}) by {fmt.chf(max(bt.linear_mae, bt.seasonal_mae), cur)}.")
    else:
        how += "It is used until two complete earlier years allow the methods to be compared."
    st.caption(how)

tab_years, tab_lines, tab_year, tab_money, tab_multi = w.tabs(
    ["Year against year", "Cost lines in detail", "Over the year", "Funding, pledges and cash",
     f"All years ({years[0]}–{years[-1]})"], key="budget_tab")
with tab_years:
    if tab_years.open and (v.same_day is None or v.same_day.empty):
        w.empty(f"{year} has not started on {fmt.day(run.as_of)}.")
    elif tab_years.open:
        w.plot(figures.spend_by_day_of_year, v.by_day_of_year, t.budget, year, run.as_of, cur,
               name=f"spend-by-day-of-year-{year}")
        totals = v.same_day[v.same_day["cost_line"] == "Total"]
        st.markdown(f"**Each year at the same day** ({fmt.day(totals['day'].iloc[0])[:-5]}; 29 February counts as "
                    "the end of February).")
        w.table(totals, f"budget-same-day-{year}", key="same_day_total",
                columns=["year", "day", "budget", "spent", "burn_rate", "received", "elapsed_fraction"],
                column_config={"year": w.year_col("Year"), "day": w.date_col("Counted to"),
                               "budget": w.chf_col("Budget", cur), "spent": w.chf_col("Spent", cur),
                               "burn_rate": w.pct_col("Spent / budget"), "received": w.chf_col("Received", cur),
                               "elapsed_fraction": w.pct_col("Year gone")})
        wide = same_day_by_line(v.same_day)
        shown_years = sorted(v.same_day["year"].unique(), reverse=True)
        st.markdown("**Each cost line at the same day**: spent, and spent as a share of that year's budget.")
        w.table(wide, f"budget-same-day-lines-{year}", key="same_day_lines", column_config={
            "cost_line": "Cost line",
            **{f"spent_{y}": w.chf_col(f"Spent {y}", cur) for y in shown_years},
            **{f"burn_rate_{y}": w.pct_col(f"{y} / budget") for y in shown_years}})
with tab_lines:
    if tab_lines.open and t.budget == 0 and t.spent == 0:
        w.empty(f"Nothing is budgeted or spent for {year}.")
    elif tab_lines.open:
        w.plot(figures.budget_by_line, s.lines.assign(projected_year_end=s.lines["cost_line"].map(
            v.outlook.set_index("cost_line")["year_end"])), year, run.as_of, cur, name=f"budget-by-line-{year}")
        if p.method in ("seasonal", "linear") and p.history:
            st.markdown(f"**Both projections per line.** The seasonal one falls back to the straight line where no "
                        f"earlier year spent at least {fmt.pct(MIN_SEASONAL_SHARE)} of the line by this day.")
            w.table(p.lines.assign(share=p.lines["share"].map(fmt.pct)), f"budget-projections-{year}",
                    key="projections", columns=["cost_line", "spent", "share", "linear", "seasonal", "seasonal_fallback"],
                    column_config={"cost_line": "Cost line", "spent": w.chf_col("Spent", cur),
                                   "share": st.column_config.TextColumn("Share spent by this day in earlier years"),
                                   "linear": w.chf_col("Straight line", cur), "seasonal": w.chf_col("Seasonal", cur),
                                   "seasonal_fallback": st.column_config.CheckboxColumn("Straight line used")})
with tab_year:
    if tab_year.open:
        w.plot(figures.cumulative_spend, v.cumulative, year, run.as_of, cur, name=f"cumulative-spend-{year}")
        if v.monthly.empty:
            w.empty(f"No spend recorded for {year} up to {fmt.day(run.as_of)}.")
        else:
            w.plot(figures.monthly_spend, v.monthly, year, run.as_of, cur, name=f"monthly-spend-{year}")
        if p.backtest is not None:
            st.markdown("**The backtest**: at every month-end of the complete years, each method's projection "
                        "against that year's real year-end.")
            w.table(p.backtest.errors, f"budget-backtest-{year}", key="backtest",
                    column_config={"year": w.year_col("Year"), "day": w.date_col("Month-end"),
                                   "actual": w.chf_col("Real year-end", cur), "linear": w.chf_col("Straight line", cur),
                                   "seasonal": w.chf_col("Seasonal", cur),
                                   "linear_error": w.chf_col("Straight-line error", cur),
                                   "seasonal_error": w.chf_col("Seasonal error", cur)})
with tab_money:
    if tab_money.open:
        cash = v.cash
        st.markdown(f"**Cash for {year}** on {counted}: received {fmt.chf(s.received, cur)} − spent "
                    f"{fmt.chf(t.spent, cur)} = **{fmt.chf(cash.balance, cur)}**"
                    + (f", {cash.months_covered:.1f} months of spend at the current rate of "
                       f"{fmt.chf(cash.monthly_rate, cur)} a month." if cash.months_covered is not None else ".")
                    + (" More has been spent than received for the year: the difference is paid from reserves."
                       if cash.balance < 0 else ""))
        if v.pledges is not None:
            pl = v.pledges
            st.markdown(f"**Pledges for {year}** made by {counted}: {fmt.chf(pl.pledged, cur)} pledged, "
                        f"{fmt.chf(pl.outstanding, cur)} of it not yet received; "
                        + (f"the gap after pledges is {fmt.chf(pl.gap_after_pledges, cur)}."
                           if pl.gap_after_pledges > 0 else
                           f"with them the budget is covered, {fmt.chf(-pl.gap_after_pledges, cur)} to spare.")
                        + (" *The sample's pledges are illustrative.*" if "pledges" in run.sample_datasets else ""))
            w.table(pl.by_donor, f"pledges-{year}", key="pledges", column_config={
                "donor": "Donor", "pledged": w.chf_col("Pledged", cur), "received": w.chf_col("Received", cur),
                "outstanding": w.chf_col("Not yet received", cur)})
        if v.contributions_by_donor.empty:
            w.empty(f"No contribution for {year} received by {fmt.day(run.as_of)}.")
        else:
            col1, col2 = st.columns(2)
            with col1:
                w.plot(figures.contributions_over_year, v.contributions_by_month, t.budget, year, run.as_of, cur,
                       name=f"contributions-{year}")
            with col2:
                w.plot(figures.contributions_by_donor, v.contributions_by_donor, year, run.as_of, cur,
                       name=f"contributions-by-donor-{year}")
            w.table(v.contributions_by_donor, f"contributions-by-donor-{year}", column_config={
                "donor": "Donor", "amount": w.chf_col("Amount", cur), "contributions": w.int_col("Payments"),
                "last_received": w.date_col("Last received")})

with tab_multi:
    if tab_multi.open:
        w.plot(figures.multi_year, v.multi_year, run.as_of, cur, name="budget-multi-year")
        same = fmt.day(run.as_of)[:-5]
        st.caption(f"Spent and received count each year up to {fmt.day(run.as_of)} (whole years for the past)"
                   + (f"; the columns “by {same}” count every year up to the same day, for a fair comparison."
                      if same else "."))
        w.table(v.multi_year, "budget-multi-year", column_config={
            "year": w.year_col("Year"), "budget": w.chf_col("Budget", cur),
            "spent": w.chf_col("Spent", cur), "received": w.chf_col("Received", cur),
            "spent_same_day": w.chf_col(f"Spent by {same}" if same else "Spent by the same day", cur),
            "received_same_day": w.chf_col(f"Received by {same}" if same else "Received by the same day", cur),
            "burn_rate": w.pct_col("Burn rate"), "received_share": w.pct_col("Received / budget"),
            "elapsed_fraction": w.pct_col("Year elapsed")})
