#!/usr/bin/env bash
# The purchased-data benchmark (scripts/bench.sh enrich): generates PEOPLE
# people in four sources plus a company-register file and a consumer-data
# file sized to about 100k company rows and 1M person rows at PEOPLE=460000,
# loads the sources in bulk with a trained model, then times `c360 enrich
# import` of both files (read, match, store, recompute profiles) and
# measures the person matches against the generator's truth. Each step
# prints its JSON; /usr/bin/time adds wall time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
people=${1:-460000}
c360=${BUILD_DIR:-build}/server/c360
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
maps=data/mappings
# Unrelated rows bring the files to ~100k companies and ~1M persons at the
# default scale (the people's own rows are ~56% of them).
extra_companies=$((people * 100000 / 460000))
extra_persons=$((people * 742000 / 460000))
timed() { /usr/bin/time -f "{\"step\": \"$1\", \"wall_s\": %e, \"max_rss_kb\": %M}" "${@:2}"; }
timed gen "$c360" gen --people "$people" --seed 7 --providers \
  --extra-companies "$extra_companies" --extra-persons "$extra_persons" --out "$work/data"
timed bulk-load "$c360" bulk-load --train --db "$work/db" \
  "crm:$maps/crm_contacts.map:$work/data/crm_contacts.csv" \
  "erp:$maps/erp_customers.map:$work/data/erp_customers.csv" \
  "webshop:$maps/webshop_accounts.map:$work/data/webshop_accounts.csv" \
  "social:$maps/social_handles.map:$work/data/social_handles.csv" | tail -n 1 \
  | cut -c1-300
timed enrich-company "$c360" enrich import --db "$work/db" --provider register \
  --kind company --mapping "$maps/provider_company.map" "$work/data/provider_company.csv"
timed enrich-person "$c360" enrich import --db "$work/db" --provider consumer \
  --kind person --mapping "$maps/provider_person.map" "$work/data/provider_person.csv"
"$c360" enrich eval --db "$work/db" --provider consumer \
  --truth "$work/data/provider_truth.csv" --records-truth "$work/data/truth.csv"
timed check "$c360" check --db "$work/db"
