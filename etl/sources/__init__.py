"""One module per published table; each has load(ctx, loaded) -> {relation: DataFrame}."""

from . import (countries, emigration_gus, migrant_stock_undesa, population, programme_referrals,
               programme_victims, sources_list, voivodeships)

# Order matters: reference tables first, so later tables are validated against them.
ALL = [sources_list, voivodeships, countries, programme_victims, programme_referrals,
       emigration_gus, population, migrant_stock_undesa]
