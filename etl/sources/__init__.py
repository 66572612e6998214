"""One module per published table; each has load(ctx, loaded) -> {relation: DataFrame}."""

from . import (countries, emigration_gus, iom_project, migrant_stock_undesa, national_indicators, population,
               prevention_swietokrzyskie, programme_referrals, programme_victims, regional_teams, sources_list,
               survey_obop2010, unodc_glotip, voivodeships, world_population)

# Order matters: reference tables first, so later tables are validated against them.
ALL = [sources_list, voivodeships, countries, programme_victims, programme_referrals,
       emigration_gus, population, migrant_stock_undesa,
       # the Context page
       survey_obop2010, regional_teams, prevention_swietokrzyskie, iom_project,
       # whole published files, then the national counts (Poland's UNODC series derives from UNODC's file)
       world_population, unodc_glotip, national_indicators]
