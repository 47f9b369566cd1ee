"""Write the bundled 1997-Q3 sample returns (deterministic; run from anywhere).

    python samples/build_1997_q3.py

Six offices in four regions report their third quarter of 1997:

* DAKAR (area office, Africa): workbook with French headers, clean.
* MDTMANILA (multidisciplinary team, Asia and the Pacific): JSON, clean.
* LIMA (regional office, Americas): CSV files with Spanish headers, clean.
* ABIDJAN (regional office, Africa): workbook with English headers, clean.
* IPEC (HQ department, interregional): workbook with realistic mistakes.
* BEIRUT (regional office, Arab States): CSV files with realistic mistakes.

The returns with mistakes have their expected findings in
``samples/expected/1997-Q3/``; the tests compare them exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tcstandards.standard import load_standard

HERE = Path(__file__).resolve().parent
OUT = HERE / "returns" / "1997-Q3"
D = dt.date
STANDARD = load_standard("1.0")  # field order and names come from the standard

PROJECT_FIELDS = list(STANDARD.record_types["projects"].field_names)
FINANCE_FIELDS = list(STANDARD.record_types["finance"].field_names)
RESULT_FIELDS = list(STANDARD.record_types["results"].field_names)
PIPELINE_FIELDS = list(STANDARD.record_types["pipeline"].field_names)
FIELDS = {
    "projects": PROJECT_FIELDS,
    "finance": FINANCE_FIELDS,
    "results": RESULT_FIELDS,
    "pipeline": PIPELINE_FIELDS,
}

FRENCH = {
    "projects": [
        "Code du projet",
        "Titre",
        "Unité administrative",
        "Unité technique",
        "Région de l'OIT",
        "Pays bénéficiaires",
        "Source de financement",
        "Donateur",
        "Programme mondial",
        "Objectif de pays",
        "Secteur",
        "Statut",
        "Date d'approbation",
        "Date de début",
        "Date de fin",
        "Budget approuvé (USD)",
    ],
    "finance": [
        "Code du projet",
        "Période",
        "Pays",
        "Approbations (USD)",
        "Dépenses (USD)",
        "Dépenses cumulées (USD)",
        "Monnaie locale",
        "Dépenses (monnaie locale)",
        "Taux USD",
    ],
    "results": [
        "Code du projet",
        "Période",
        "Indicateur",
        "Pays",
        "Cible",
        "Réalisé",
        "Femmes",
        "Hommes",
        "Justificatif",
    ],
    "pipeline": [
        "Identifiant de la proposition",
        "Titre",
        "Type de partenaire",
        "Partenaire",
        "Programme mondial",
        "Montant demandé (USD)",
        "Statut",
        "Soumise le",
        "Décision le",
        "Montant approuvé (USD)",
        "Code du projet",
    ],
}
FRENCH_SHEETS = {
    "projects": "Projets",
    "finance": "Finances",
    "results": "Résultats",
    "pipeline": "Réserve de projets",
}
SPANISH = {
    "projects": [
        "Código del proyecto",
        "Título",
        "Unidad administrativa",
        "Unidad técnica",
        "Región de la OIT",
        "Países beneficiarios",
        "Fuente de financiación",
        "Donante",
        "Programa mundial",
        "Objetivo de país",
        "Sector",
        "Estado",
        "Fecha de aprobación",
        "Fecha de inicio",
        "Fecha de finalización",
        "Presupuesto aprobado (USD)",
    ],
    "finance": [
        "Código del proyecto",
        "Período",
        "País",
        "Aprobaciones (USD)",
        "Gastos (USD)",
        "Gastos acumulados (USD)",
        "Moneda local",
        "Gastos (moneda local)",
        "Tipo de cambio USD",
    ],
    "results": [
        "Código del proyecto",
        "Período",
        "Indicador",
        "País",
        "Meta",
        "Logrado",
        "Mujeres",
        "Hombres",
        "Fuente de verificación",
    ],
    "pipeline": [
        "Identificador de la propuesta",
        "Título",
        "Tipo de socio",
        "Socio",
        "Programa mundial",
        "Monto solicitado (USD)",
        "Estado",
        "Presentada el",
        "Decidida el",
        "Monto aprobado (USD)",
        "Código del proyecto",
    ],
}


def cover(office: str, who: str, email: str, on: dt.date) -> dict:
    return {
        "standard_version": "1.0",
        "office_code": office,
        "period": "1997-Q3",
        "prepared_by": who,
        "email": email,
        "prepared_on": on,
    }


def row(fields: list[str], *values: object) -> dict:
    return dict(zip(fields, values, strict=True))


def P(*v: object) -> dict:
    return row(PROJECT_FIELDS, *v)


def F(*v: object) -> dict:
    return row(FINANCE_FIELDS, *v)


def R(*v: object) -> dict:
    return row(RESULT_FIELDS, *v)


def L(*v: object) -> dict:
    return row(PIPELINE_FIELDS, *v)


Q = "1997-Q3"
N = None

# --- DAKAR: area office, Africa (workbook, French headers) -------------------------------
DAKAR = {
    "cover": cover("DAKAR", "Aminata Diallo", "diallo@ilo-dakar.example.org", D(1997, 10, 14)),
    "projects": [
        P(
            "SEN/95/003/UND",
            "Appui à la promotion de l'emploi des jeunes à Dakar",
            "DAKAR",
            "POLEMP",
            "AFRICA",
            "SEN",
            "UNDP",
            "UND",
            "EXCLUSION_POVERTY",
            "SEN101",
            "16020",
            "IMPLEMENTATION",
            D(1995, 3, 2),
            D(1995, 6, 1),
            D(1998, 5, 31),
            1_850_000,
        ),
        P(
            "RAF/96/M05/DAN",
            "Formation professionnelle des femmes rurales en Afrique de l'Ouest",
            "DAKAR",
            "POLFORM",
            "AFRICA",
            "SEN:40;MLI:35;GMB:25",
            "MULTIBI_TF",
            "DAN",
            "WOMEN_JOBS",
            N,
            "11330",
            "IMPLEMENTATION",
            D(1996, 9, 12),
            D(1997, 1, 1),
            D(1999, 12, 31),
            2_400_000,
        ),
        P(
            "MLI/97/M01/NOR",
            "Mutuelles de santé et protection sociale au Mali",
            "DAKAR",
            "SECSOC",
            "AFRICA",
            "MLI",
            "MULTIBI_TF",
            "NOR",
            "EXCLUSION_POVERTY",
            "MLI201",
            "16010",
            "IMPLEMENTATION",
            D(1997, 2, 20),
            D(1997, 4, 1),
            D(2000, 3, 31),
            980_000,
        ),
        P(
            "SEN/97/R01/RBT",
            "Appui au dialogue social tripartite au Sénégal",
            "DAKAR",
            "LEGREL",
            "AFRICA",
            "SEN",
            "RBTC",
            N,
            "SOCIAL_DIALOGUE",
            N,
            "16080",
            "IMPLEMENTATION",
            D(1997, 1, 15),
            D(1997, 2, 1),
            D(1997, 12, 31),
            85_000,
        ),
    ],
    "finance": [
        F("SEN/95/003/UND", Q, "SEN", 0, 142_350.25, 1_120_480.60, "XOF", 85_410_150, 0.0016667),
        F("RAF/96/M05/DAN", Q, "SEN", 0, 61_200, 188_400, N, N, N),
        F("RAF/96/M05/DAN", Q, "MLI", 0, 48_900, 150_250, N, N, N),
        F("RAF/96/M05/DAN", Q, "GMB", 0, 31_050, 95_600, N, N, N),
        F("MLI/97/M01/NOR", Q, "MLI", 250_000, 73_480, 121_930, N, N, N),
        F("SEN/97/R01/RBT", Q, "SEN", 0, 18_400, 52_750, N, N, N),
    ],
    "results": [
        R("SEN/95/003/UND", Q, "JOBS_CREATED", "SEN", 600, 412, 185, 227, "Rapport trimestriel du projet"),
        R("SEN/95/003/UND", Q, "PERSONS_TRAINED", "SEN", 300, 276, 140, 136, "Listes de présence"),
        R("RAF/96/M05/DAN", Q, "PERSONS_TRAINED", "MLI", 250, 198, 198, 0, "Registres des centres"),
        R(
            "MLI/97/M01/NOR",
            Q,
            "SOCIAL_SECURITY_COVERAGE_PCT",
            "MLI",
            12,
            7.5,
            N,
            N,
            "Enquête auprès des mutuelles",
        ),
        R("SEN/97/R01/RBT", Q, "POLICIES_ADOPTED", "SEN", 1, 1, N, N, "Décret du 12 août 1997"),
    ],
    "pipeline": [
        L(
            "DAKAR-1997-004",
            "Emploi des jeunes en Casamance",
            "MULTIBI_DONOR",
            "NET",
            "EXCLUSION_POVERTY",
            1_200_000,
            "NEGOTIATION",
            D(1997, 5, 6),
            N,
            N,
            N,
        ),
        L(
            "DAKAR-1997-007",
            "Travail des enfants dans l'orpaillage au Mali",
            "MULTIBI_DONOR",
            "GER",
            "IPEC",
            650_000,
            "APPROVED",
            D(1997, 3, 3),
            D(1997, 8, 29),
            620_000,
            "MLI/97/M02/GER",
        ),
        L(
            "DAKAR-1997-009",
            "Coopératives d'épargne et de crédit",
            "FOUNDATION",
            "FES",
            N,
            180_000,
            "CONCEPT",
            N,
            N,
            N,
            N,
        ),
    ],
}

# --- ABIDJAN: regional office for Africa (workbook, English headers) ---------------------
ABIDJAN = {
    "cover": cover("ABIDJAN", "Kouassi N'Guessan", "nguessan@ilo-abidjan.example.org", D(1997, 10, 20)),
    "projects": [
        P(
            "RAF/94/M12/NET",
            "Labour-based road rehabilitation in West Africa",
            "ABIDJAN",
            "DEVPOL",
            "AFRICA",
            "CIV:50;GHA:30;BFA:20",
            "MULTIBI_TF",
            "NET",
            "EXCLUSION_POVERTY",
            N,
            "16020",
            "FINALISATION",
            D(1994, 4, 11),
            D(1994, 7, 1),
            D(1997, 12, 31),
            3_150_000,
        ),
        P(
            "CIV/96/002/UND",
            "Support to small enterprise development in Côte d'Ivoire",
            "ABIDJAN",
            "ENTMAN",
            "AFRICA",
            "CIV",
            "UNDP",
            "UND",
            N,
            "CIV104",
            "32130",
            "IMPLEMENTATION",
            D(1996, 5, 28),
            D(1996, 8, 1),
            D(1998, 7, 31),
            1_420_000,
        ),
        P(
            "RAF/97/M03/DAN",
            "Strengthening labour administration in francophone Africa",
            "ABIDJAN",
            "ADMITRA",
            "AFRICA",
            "CIV:25;BEN:25;TGO:25;NER:25",
            "MULTIBI_TF",
            "DAN",
            "SOCIAL_DIALOGUE",
            N,
            "16080",
            "IMPLEMENTATION",
            D(1997, 3, 18),
            D(1997, 6, 1),
            D(2000, 5, 31),
            2_050_000,
        ),
        P(
            "RAF/95/F01/UNF",
            "Population and family welfare education for workers",
            "ABIDJAN",
            "CONDTRAV",
            "AFRICA",
            "GHA:60;CIV:40",
            "UNFPA",
            "UNF",
            N,
            N,
            "13010",
            "IMPLEMENTATION",
            D(1995, 1, 20),
            D(1995, 4, 1),
            D(1998, 3, 31),
            760_000,
        ),
    ],
    "finance": [
        F("RAF/94/M12/NET", Q, "CIV", 0, 120_400, 1_433_800, N, N, N),
        F("RAF/94/M12/NET", Q, "GHA", 0, 74_100, 902_650, N, N, N),
        F("RAF/94/M12/NET", Q, "BFA", 0, 40_850, 541_300, N, N, N),
        F("CIV/96/002/UND", Q, "CIV", 0, 96_000, 402_500, "XOF", 57_600_000, 0.0016667),
        F("RAF/97/M03/DAN", Q, "CIV", 512_500, 38_200, 51_900, N, N, N),
        F("RAF/97/M03/DAN", Q, "BEN", 0, 22_700, 30_100, N, N, N),
        F("RAF/97/M03/DAN", Q, "TGO", 0, 19_650, 24_800, N, N, N),
        F("RAF/97/M03/DAN", Q, "NER", 0, 17_300, 21_950, N, N, N),
        F("RAF/95/F01/UNF", Q, "GHA", 0, 41_250, 488_700, "GHC", 84_562_500, 0.000487805),
        F("RAF/95/F01/UNF", Q, "CIV", 0, 27_500, 311_900, N, N, N),
    ],
    "results": [
        R("RAF/94/M12/NET", Q, "WORKDAYS_CREATED", "CIV", 150_000, 138_400, N, N, "Site records"),
        R("RAF/94/M12/NET", Q, "WORKDAYS_CREATED", "GHA", 90_000, 97_250, N, N, "Site records"),
        R("CIV/96/002/UND", Q, "ENTERPRISES_SUPPORTED", "CIV", 120, 87, N, N, "Enterprise survey"),
        R("RAF/97/M03/DAN", Q, "PERSONS_TRAINED", "BEN", 40, 36, 11, 25, "Course attendance"),
        R("RAF/95/F01/UNF", Q, "PERSONS_TRAINED", "GHA", 500, 463, 241, 222, "Workshop reports"),
    ],
}

# --- LIMA: regional office for the Americas (CSV, Spanish headers) -----------------------
LIMA = {
    "cover": cover("LIMA", "María Elena Quispe", "quispe@oit-lima.example.org", D(1997, 10, 9)),
    "projects": [
        P(
            "RLA/96/M08/SPA",
            "Formación profesional en la región andina",
            "LIMA",
            "POLFORM",
            "AMERICAS",
            "PER:40;BOL:30;ECU:30",
            "MULTIBI_TF",
            "SPA",
            N,
            N,
            "11330",
            "IMPLEMENTATION",
            D(1996, 6, 3),
            D(1996, 10, 1),
            D(1999, 9, 30),
            1_640_000,
        ),
        P(
            "PER/97/001/UND",
            "Empleo y microempresa en Lima metropolitana",
            "LIMA",
            "ENTMAN",
            "AMERICAS",
            "PER",
            "UNDP",
            "UND",
            "EXCLUSION_POVERTY",
            "PER102",
            "32130",
            "IMPLEMENTATION",
            D(1997, 1, 30),
            D(1997, 3, 1),
            D(1999, 2, 28),
            890_000,
        ),
        P(
            "RLA/95/M02/NOR",
            "Prevención del trabajo infantil en la minería artesanal",
            "LIMA",
            "IPEC",
            "AMERICAS",
            "PER:50;BOL:50",
            "MULTIBI_TF",
            "NOR",
            "IPEC",
            N,
            "16070",
            "IMPLEMENTATION",
            D(1995, 11, 14),
            D(1996, 1, 1),
            D(1998, 12, 31),
            1_150_000,
        ),
    ],
    "finance": [
        F("RLA/96/M08/SPA", Q, "PER", 0, 58_300.5, 301_750.5, "ESP", 8_775_000, 0.006644),
        F("RLA/96/M08/SPA", Q, "BOL", 0, 39_100, 188_200, N, N, N),
        F("RLA/96/M08/SPA", Q, "ECU", 0, 35_800, 172_050, N, N, N),
        F("PER/97/001/UND", Q, "PER", 0, 84_650, 206_300, "PEN", 222_767, 0.38),
        F("RLA/95/M02/NOR", Q, "PER", 300_000, 72_900, 512_400, N, N, N),
        F("RLA/95/M02/NOR", Q, "BOL", 0, 66_250, 448_100, N, N, N),
    ],
    "results": [
        R("RLA/95/M02/NOR", Q, "CHILDREN_WITHDRAWN", "PER", 800, 655, 290, 365, "Registro de los centros"),
        R("RLA/95/M02/NOR", Q, "CHILDREN_PREVENTED", "BOL", 1200, 1340, 700, 640, "Registro escolar"),
        R("PER/97/001/UND", Q, "ENTERPRISES_SUPPORTED", "PER", 250, 212, N, N, "Encuesta de microempresas"),
    ],
    "pipeline": [
        L(
            "LIMA-1997-002",
            "Seguridad social para trabajadores independientes",
            "WORLD_BANK",
            "WBK",
            N,
            2_300_000,
            "SUBMITTED",
            D(1997, 7, 21),
            N,
            N,
            N,
        ),
        L(
            "LIMA-1997-003",
            "Empleo juvenil en Bolivia",
            "REGIONAL_DEV_BANK",
            "IDB",
            "EXCLUSION_POVERTY",
            900_000,
            "DECLINED",
            D(1997, 2, 10),
            D(1997, 6, 30),
            N,
            N,
        ),
    ],
}

# --- MDTMANILA: multidisciplinary team for South-East Asia and the Pacific (JSON) --------
MANILA = {
    "cover": cover("MDTMANILA", "Jose Ramos", "ramos@ilo-manila.example.org", D(1997, 10, 17)),
    "projects": [
        P(
            "RAS/96/M07/JPN",
            "Occupational safety and health in small enterprises",
            "MDTMANILA",
            "SECHYG",
            "ASIA_PACIFIC",
            "PHL:50;IDN:30;THA:20",
            "MULTIBI_TF",
            "JPN",
            N,
            N,
            "16070",
            "IMPLEMENTATION",
            D(1996, 4, 4),
            D(1996, 7, 1),
            D(1999, 6, 30),
            1_275_000,
        ),
        P(
            "PHL/97/002/UND",
            "Employment-intensive rural infrastructure in Mindanao",
            "MDTMANILA",
            "DEVPOL",
            "ASIA_PACIFIC",
            "PHL",
            "UNDP",
            "UND",
            "POST_CONFLICT",
            "PHL103",
            "16020",
            "IMPLEMENTATION",
            D(1997, 5, 12),
            D(1997, 7, 1),
            D(2000, 6, 30),
            2_150_000,
        ),
        P(
            "INT/97/M04/FIN",
            "Trade union education on workers' rights in Asia",
            "MDTMANILA",
            "ACTRAV",
            "INTERREGIONAL",
            N,
            "MULTIBI_TF",
            "FIN",
            "WORKERS_ACTIVITIES",
            N,
            "16070",
            "IMPLEMENTATION",
            D(1997, 1, 8),
            D(1997, 3, 1),
            D(1998, 12, 31),
            540_000,
        ),
    ],
    "finance": [
        {**F("RAS/96/M07/JPN", Q, "PHL", 0, 55_750, 302_400, N, N, N)},
        {**F("RAS/96/M07/JPN", Q, "IDN", 0, 31_200, 176_950, N, N, N)},
        {**F("RAS/96/M07/JPN", Q, "THA", 0, 20_900, 118_300, N, N, N)},
        {**F("PHL/97/002/UND", Q, "PHL", 715_000, 94_300, 94_300, "PHP", 2_645_330, 0.03565)},
        {**F("INT/97/M04/FIN", Q, N, 0, 41_800, 163_250, N, N, N)},
    ],
    "results": [
        R("RAS/96/M07/JPN", Q, "ENTERPRISES_SUPPORTED", "PHL", 60, 54, N, N, "Inspection reports"),
        R("PHL/97/002/UND", Q, "WORKDAYS_CREATED", "PHL", 40_000, 12_650, N, N, "Payroll records"),
        R("INT/97/M04/FIN", Q, "PERSONS_TRAINED", N, 400, 372, 129, 243, "Course evaluations"),
    ],
    "pipeline": [
        L(
            "MDTMANILA-1997-001",
            "Skills for returning migrant workers",
            "UN_SYSTEM",
            "UOP",
            N,
            450_000,
            "SUBMITTED",
            D(1997, 9, 2),
            N,
            N,
            N,
        ),
    ],
}

# --- IPEC: HQ department (workbook, English headers) -- with mistakes --------------------
IPEC = {
    "cover": cover("IPEC", "Hans Becker", "becker@ilo.example.org", D(1997, 10, 24)),
    "projects": [
        P(
            "INT/92/M01/GER",
            "International Programme on the Elimination of Child Labour, phase II",
            "IPEC",
            "IPEC",
            "INTERREGIONAL",
            N,
            "MULTIBI_TF",
            "GER",
            "IPEC",
            N,
            "16070",
            "IMPLEMENTATION",
            D(1992, 2, 3),
            D(1992, 4, 1),
            D(1998, 3, 31),
            18_500_000,
        ),
        # mistake: start after end
        P(
            "BGD/97/M02/USA",
            "Elimination of child labour in the garment industry",
            "IPEC",
            "IPEC",
            "ASIA_PACIFIC",
            "BGD",
            "MULTIBI_TF",
            "USA",
            "IPEC",
            "BGD105",
            "16070",
            "IMPLEMENTATION",
            D(1997, 1, 20),
            D(1999, 2, 1),
            D(1998, 1, 31),
            1_600_000,
        ),
        # mistakes: donor written in small letters; approval date that could be 3 April or 4 March
        P(
            "PAK/97/M03/NET",
            "Child labour in the football-stitching industry of Sialkot",
            "IPEC",
            "IPEC",
            "ASIA_PACIFIC",
            "PAK",
            "MULTIBI_TF",
            "net",
            "IPEC",
            N,
            "16070",
            "IMPLEMENTATION",
            "03/04/1997",
            D(1997, 5, 1),
            D(1999, 4, 30),
            1_100_000,
        ),
        P(
            "THA/96/M05/SPA",
            "Prevention of child labour in northern Thailand",
            "IPEC",
            "IPEC",
            "ASIA_PACIFIC",
            "THA",
            "MULTIBI_TF",
            "SPA",
            "IPEC",
            N,
            "16070",
            "IMPLEMENTATION",
            D(1996, 2, 12),
            D(1996, 4, 1),
            D(1998, 3, 31),
            720_000,
        ),
    ],
    "finance": [
        F("INT/92/M01/GER", Q, N, 1_500_000, 1_284_600, 14_920_300, N, N, N),
        F("BGD/97/M02/USA", Q, "BGD", 0, 118_000, 241_000, N, N, N),
        # mistake: amount typed as text with a decimal comma (read, with a warning)
        F("PAK/97/M03/NET", Q, "PAK", 0, "12 500,00", 37_800, N, N, N),
        # mistake: cumulative expenditure above the approved budget
        F("THA/96/M05/SPA", Q, "THA", 0, 61_200, 745_000, N, N, N),
        # mistake: a project that is not in the register
        F("NPL/96/M01/NOR", Q, "NPL", 0, 22_000, 98_000, N, N, N),
    ],
    "results": [
        R("INT/92/M01/GER", Q, "CHILDREN_WITHDRAWN", N, 5000, 4210, 1890, 2320, "Programme monitoring"),
        # mistake: more women and men than the actual total
        R("BGD/97/M02/USA", Q, "CHILDREN_WITHDRAWN", "BGD", 2500, 1300, 800, 650, "Factory monitoring"),
        # mistake: a percentage above 100
        R("PAK/97/M03/NET", Q, "SOCIAL_SECURITY_COVERAGE_PCT", "PAK", 40, 120, N, N, "Survey"),
    ],
    "pipeline": [
        # mistake: APPROVED without the amount approved and the project code
        L(
            "IPEC-1997-011",
            "Child labour in commercial agriculture in East Africa",
            "MULTIBI_DONOR",
            "NOR",
            "IPEC",
            2_000_000,
            "APPROVED",
            D(1997, 4, 14),
            D(1997, 9, 15),
            N,
            N,
        ),
        L(
            "IPEC-1997-012",
            "Child domestic workers in South-East Asia",
            "FOUNDATION",
            "RKF",
            "IPEC",
            350_000,
            "SUBMITTED",
            D(1997, 8, 1),
            N,
            N,
            N,
        ),
    ],
}

# --- BEIRUT: regional office for the Arab States (CSV) -- with mistakes ------------------
BEIRUT = {
    "cover": cover("BEIRUT", "Rana Haddad", "haddad@ilo-beirut.example.org", D(1997, 10, 30)),
    "projects": [
        # mistake: percentages add up to 90
        P(
            "RAB/96/M06/ITA",
            "Vocational rehabilitation of disabled persons",
            "BEIRUT",
            "POLFORM",
            "ARAB_STATES",
            "LBN:50;JOR:40",
            "MULTIBI_TF",
            "ITA",
            N,
            N,
            "11330",
            "IMPLEMENTATION",
            D(1996, 3, 11),
            D(1996, 6, 1),
            D(1999, 5, 31),
            1_320_000,
        ),
        # mistake: Egypt is in the ILO's Africa region
        P(
            "RAB/97/M01/UAE",
            "Labour market information systems in the Gulf and Egypt",
            "BEIRUT",
            "STAT",
            "ARAB_STATES",
            "ARE:60;EGY:40",
            "MULTIBI_TF",
            "UAE",
            N,
            N,
            "16020",
            "IMPLEMENTATION",
            D(1997, 2, 2),
            D(1997, 4, 1),
            D(1999, 3, 31),
            880_000,
        ),
        # mistake: title too short
        P(
            "YEM/97/001/UND",
            "SMEs",
            "BEIRUT",
            "ENTMAN",
            "ARAB_STATES",
            "YEM",
            "UNDP",
            "UND",
            "EXCLUSION_POVERTY",
            "YEM101",
            "32130",
            "IMPLEMENTATION",
            D(1997, 3, 5),
            D(1997, 5, 1),
            D(1999, 4, 30),
            610_000,
        ),
    ],
    "finance": [
        # mistake: USD and local amounts disagree (LBP at 1/1530 USD)
        F("RAB/96/M06/ITA", Q, "LBN", 0, 52_400, 318_250, "LBP", 60_000_000, 0.000653595),
        F("RAB/96/M06/ITA", Q, "JOR", 0, 34_900, 207_100, N, N, N),
        F("RAB/97/M01/UAE", Q, "ARE", 0, 41_300, 96_750, N, N, N),
        # mistake: a line for the previous quarter
        F("RAB/97/M01/UAE", "1997-Q2", "EGY", 0, 28_100, 55_450, N, N, N),
        # mistake: Oman is not a recipient of this project
        F("YEM/97/001/UND", Q, "OMN", 0, 37_650, 64_900, N, N, N),
    ],
    "results": [
        R("RAB/96/M06/ITA", Q, "PERSONS_TRAINED", "LBN", 120, 104, 38, 66, "Centre registers"),
        R("YEM/97/001/UND", Q, "ENTERPRISES_SUPPORTED", "YEM", 80, 61, N, N, "Loan records"),
    ],
    "pipeline": [
        # mistake: malformed proposal id
        L(
            "BEIRUT-97-004",
            "Social security reform in Yemen",
            "WORLD_BANK",
            "WBK",
            N,
            1_500_000,
            "NEGOTIATION",
            D(1997, 6, 19),
            N,
            N,
            N,
        ),
    ],
}


def _cell(value: object) -> object:
    return "" if value is None else value


def write_workbook(
    path: Path, data: dict, *, headers: dict | None = None, sheets: dict | None = None
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws.append(["field", "value"])
    for key, value in data["cover"].items():
        ws.append([key, value])
        if isinstance(value, dt.date):
            ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    ws["A1"].font = ws["B1"].font = Font(bold=True)
    for kind, fields in FIELDS.items():
        if kind not in data:
            continue
        sheet = wb.create_sheet((sheets or {}).get(kind, kind.capitalize()))
        sheet.append((headers or {}).get(kind, fields))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for record in data[kind]:
            sheet.append([_cell(record[f]) for f in fields])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    wb.properties.creator = "tcstandards samples"
    wb.properties.created = wb.properties.modified = dt.datetime(1997, 10, 31)
    wb.save(path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(folder: Path, data: dict, *, headers: dict | None = None, delimiter: str = ",") -> None:
    office = data["cover"]["office_code"]
    with (folder / f"{office}_{Q}_cover.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["field", "value"])
        for key, value in data["cover"].items():
            writer.writerow([key, _text(value)])
    for kind, fields in FIELDS.items():
        if kind not in data:
            continue
        with (folder / f"{office}_{Q}_{kind}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow((headers or {}).get(kind, fields))
            for record in data[kind]:
                writer.writerow([_text(record[f]) for f in fields])


def write_json(path: Path, data: dict) -> None:
    def default(value: object) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    document = {k: v for k, v in data.items()}
    document["cover"] = {k: _text(v) for k, v in data["cover"].items()}
    document = {
        k: ([{f: r[f] for f in r if r[f] is not None} for r in v] if isinstance(v, list) else v)
        for k, v in document.items()
    }
    path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, default=default) + "\n", encoding="utf-8"
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    write_workbook(OUT / "DAKAR_1997-Q3.xlsx", DAKAR, headers=FRENCH, sheets=FRENCH_SHEETS)
    write_workbook(OUT / "ABIDJAN_1997-Q3.xlsx", ABIDJAN)
    write_workbook(OUT / "IPEC_1997-Q3.xlsx", IPEC)
    write_json(OUT / "MDTMANILA_1997-Q3.json", MANILA)
    write_csv(OUT, LIMA, headers=SPANISH, delimiter=";")
    write_csv(OUT, BEIRUT)


if __name__ == "__main__":
    main()
