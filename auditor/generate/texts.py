"""Swedish note texts: phrase banks keyed by what a sentence *asserts*.

A note is composed from sentence keys. Each key has the catalogue labels it asserts (its
*facts*) and many alternative templates; decoy keys (``*_NEG``, ``*_INTENT`` …) look like
evidence but assert nothing (negations, intentions, conditionals, recaps, other people).
The generator's truth is the union of the facts of a note's keys, never the text, so the
labels do not depend on how a detector reads the words.

Templates use ``{name}`` slots. Slots given by the caller (``b`` the individual, ``hl`` the
caseworker, ``ini`` initials …) are fixed per note; any other slot is drawn from the filler
lists below. Every text is cp1252-safe (the ingest's oldest encoding).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

F = frozenset

# --------------------------------------------------------------------------------------------
# Fillers for free slots
# --------------------------------------------------------------------------------------------

FILLERS: dict[str, tuple[str, ...]] = {
    "butik": ("Coop", "ICA", "Willys", "Lidl", "Hemköp", "Coop Extra", "ICA Nära", "City Gross"),
    "park": (
        "parken",
        "Slottsskogen",
        "Keillers park",
        "Ruddalen",
        "parken vid sjön",
        "Trädgårdsföreningen",
    ),
    "plats": (
        "biblioteket",
        "simhallen",
        "stan",
        "Nordstan",
        "centrum",
        "fritidsgården",
        "kyrkan",
        "bowlinghallen",
        "museet",
        "gymmet",
        "Tumba centrum",
        "Hallunda",
    ),
    "amne": (
        "sin familj",
        "helgens planer",
        "en tv-serie",
        "fotboll",
        "sitt gamla jobb",
        "semestern",
        "sina katter",
        "musik",
        "en bok hen läser",
        "vädret",
        "barnbarnen",
        "att laga mat",
    ),
    "sysslor": (
        "disk och dammsugning",
        "bäddning",
        "tvätt",
        "sortering av posten",
        "rensning av kylskåpet",
        "blomvattning",
        "golvtorkning",
        "städning av badrummet",
    ),
    "matratt": (
        "köttbullar och potatis",
        "pasta med köttfärssås",
        "fiskgratäng",
        "pannkakor",
        "kycklinggryta",
        "grönsakssoppa",
        "lasagne",
        "tacos",
    ),
    "mottagning": (
        "vårdcentralen",
        "tandläkaren",
        "apoteket",
        "banken",
        "Försäkringskassans kontor",
        "frisören",
        "optikern",
    ),
    "dag": ("måndag", "tisdag", "onsdag", "torsdag", "fredag"),
    "tid": ("9.00", "9.30", "10.00", "10.30", "13.00", "13.30", "14.00", "15.00"),
    "spel": ("kort", "Fia med knuff", "Uno", "schack", "Yatzy", "memory"),
    "cafe": ("ett café i centrum", "konditoriet", "Espresso House", "caféet vid torget"),
    "sjukhus": (
        "Sahlgrenska",
        "Östra sjukhuset",
        "Mölndals sjukhus",
        "Södersjukhuset",
        "Karolinska",
    ),
    "avd": ("12", "34", "psykiatriska avdelningen", "medicinavdelningen", "avdelning 7"),
    "mal": (
        "handla själv en gång i veckan",
        "komma iväg till sysselsättningen",
        "hålla ordning i köket",
        "betala räkningarna i tid",
        "laga middag två gånger i veckan",
        "ta promenader",
    ),
    "ort": ("Borås", "Kungsbacka", "Södertälje", "Uppsala", "en annan stadsdel", "ett LSS-boende"),
    "aktivitet": (
        "bakade bullar",
        "spelade spel",
        "målade",
        "tittade på film",
        "lyssnade på musik",
        "var i sinnesrummet",
        "gick till lekparken",
        "badade",
        "gjorde pärlplattor",
    ),
    "manad": (
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ),
}

# --------------------------------------------------------------------------------------------
# Sentence banks: key -> (facts asserted, templates)
# --------------------------------------------------------------------------------------------

BANK: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    # ---- ordinary visits ------------------------------------------------------------------
    "VISIT": (
        F({"VISIT_DONE"}),
        (
            "Handlade tillsammans med {b} på {butik}.",
            "Promenad i {park}, {b} berättade om {amne}.",
            "Hembesök. Vi gick igenom posten tillsammans och betalade två räkningar.",
            "Städade köket tillsammans, {b} torkade av bänkarna själv.",
            "Följde med {b} till {mottagning}.",
            "Tvättstuga med {b}, vi skrev upp nästa tvättpass i kalendern.",
            "Planerade veckans matlista tillsammans och skrev inköpslista.",
            "Besök hos {b}. Vi lagade {matratt} tillsammans.",
            "{B} hade satt på kaffe när jag kom. Vi pratade om veckan som gått.",
            "Besök kl {tid}. Handling på {butik}. {B} på gott humör.",
            "Hembesök, {sysslor}. {B} gjorde det mesta själv.",
            "Stöd med att sortera papper, {b} satte in dem i pärmen.",
            "Gick till apoteket tillsammans med {b} och hämtade ut receptet.",
            "Övade på att åka buss till {plats}, {b} köpte biljett i appen själv.",
            "Vi gick igenom kalendern för veckan och skrev upp tiderna på tavlan.",
            "Besöket gick bra, {b} var pigg och pratsam.",
            "Cykeltur med {b} runt sjön.",
            "Besök på {plats} tillsammans med {b}.",
            "Hjälpte {b} att boka tid på {mottagning} via appen.",
            "Hembesök. {B} visade stolt att diskbänken var tom.",
            "Handling + promenad. {B} valde själv vad som skulle köpas.",
            "Vi lagade mat tillsammans, {b} skalade potatis och dukade.",
            "Besök i hemmet. Gick igenom budgeten för månaden tillsammans med {b}.",
            "Följde {b} till {plats} och fikade efteråt.",
            "Träffade {b} på {plats}, vi gick en sväng och pratade om {amne}.",
            "hembesök, {sysslor}, gick bra",
            "Besök enl planering. Tvätt + handling.",
            "Stöttade {b} med {sysslor}. {B} tog initiativ själv idag.",
        ),
    ),
    "VISIT_ADD": (
        F(),
        (
            "{B} var på gott humör.",
            "Nästa besök {dag}.",
            "Inget särskilt att rapportera.",
            "{B} bjöd på kaffe.",
            "{B} pratade om {amne}.",
            "{B} tyckte det var skönt att komma ut.",
            "Det gick lugnt och bra.",
            "{B} berättade att hen sovit bra.",
            "Tog ca en timme.",
            "{B} ville gärna göra samma sak nästa vecka.",
            "Lugnt besök.",
            "{B} verkade nöjd.",
            "Vi avslutade med en kopp te.",
        ),
    ),
    # the person moves a visit, new time agreed: not a decline (catalogue conventions)
    "MOVE_OWN": (
        F(),
        (
            "{B} ville flytta nästa besök till {dag}, ny tid bokad.",
            "{B} bad att få flytta torsdagens besök till {dag} kl {tid}, det gick bra.",
        ),
    ),
    # a polite yes that contains decline-like words
    "ACCEPT": (
        F(),
        (
            "{B} tackade ja till att följa med till {plats} nästa gång.",
            "{B} tackade inte nej den här gången utan följde gärna med.",
        ),
    ),
    # ---- korttidsvistelse days ----------------------------------------------------------------
    "STAY_DAY": (
        F({"VISIT_DONE"}),
        (
            "{B} har haft en bra dag på Solrosen, {aktivitet} med personalen.",
            "Lugn kväll, {b} {aktivitet} i dagrummet.",
            "Utflykt till {plats} med gruppen, {b} följde med och var glad.",
            "{B} sov gott i natt och åt bra till frukost.",
            "Ankomst kl {tid}. {B} packade upp själv och hälsade på de andra.",
            "{B} {aktivitet} på förmiddagen och vilade efter lunch.",
            "Dagen har gått bra. {B} var lite trött på eftermiddagen.",
            "Vi gick till affären och köpte frukt. {B} betalade själv.",
            "{B} ville gärna vara ute i trädgården, gungade länge.",
        ),
    ),
    # ---- avlösning, ledsagning, kontaktperson -------------------------------------------------
    "NB_AVLOSNING": (
        F({"VISIT_DONE"}),
        (
            "Avlösning i hemmet, {b} och jag spelade {spel}.",
            "Avlösning 3 timmar. Vi bakade och tittade på film.",
            "Avlösning kväll, {b} somnade vid 21.",
            "Avlösning under eftermiddagen, vi gick en promenad i {park}.",
            "Avlösning enligt schema. {B} ville lyssna på musik och vi sjöng tillsammans.",
            "Avlösning i hemmet medan {anh} var borta. Lugn eftermiddag.",
        ),
    ),
    "NB_LEDSAGNING": (
        F({"VISIT_DONE"}),
        (
            "Ledsagning till {plats}. {B} var förväntansfull.",
            "Ledsagning till {mottagning}, gick smidigt.",
            "Ledsagade {b} till {plats}, vi åkte buss dit.",
            "Ledsagning till {cafe}, {b} beställde själv.",
            "Ledsagning till {butik} och sedan hem med färdtjänst.",
        ),
    ),
    "NB_KONTAKT": (
        F({"VISIT_DONE"}),
        (
            "Kontaktpersonsträff: fika på {cafe}, {b} berättade om {amne}.",
            "Träff med {b}, promenad i {park} och glass.",
            "Kontaktpersonsträff, bowling. {B} vann en omgång.",
            "Träffade {b} på {plats}, vi pratade länge om {amne}.",
            "Kontaktpersonsträff på {plats}. {B} var glad att ses.",
        ),
    ),
    # ---- first contact / contact / attempts ------------------------------------------------
    "CONTACT_FIRST": (
        F({"CONTACT"}),
        (
            "Ringde {b} och presenterade boendestödet. Bokade uppstartsmöte på {dag}.",
            "Telefonsamtal med {b}: informerade om att uppdraget kommit till oss, {b} svarade och vi bokade en första träff.",
            "Nådde {b} per telefon och berättade att uppdraget tilldelats oss. Uppstartsmöte bokat {dag} kl {tid}.",
            "Pratade med {b} i telefon, hen var positiv till att träffas. Vi ses {dag}.",
            "Skickade sms till {b} som svarade direkt, vi bokade möte till {dag}.",
            "Första kontakt: {b} svarade i telefon. Gick kort igenom vad boendestöd är.",
        ),
    ),
    "CONTACT": (
        F({"CONTACT"}),
        (
            "Ringde {b} för att höra hur hen mår. {B} svarade och lät piggare.",
            "Pratade med {b} i telefon, vi bokade nästa besök till {dag}.",
            "{B} ringde och ville prata en stund, lät lugn.",
            "Telefonkontakt med {b}, allt ok.",
            "Sms-kontakt med {b}, hen svarade att hen mår bättre.",
            "Fick tag på {b} i telefon. {B} sa att det känns bättre nu.",
            "Kort telefonsamtal med {b} om veckans planering.",
        ),
    ),
    "CONTACT_ATTEMPT": (
        F({"CONTACT_ATTEMPT"}),
        (
            "Ringde {b}, inget svar.",
            "Sökte {b} per telefon utan att få svar, lämnade meddelande på telefonsvararen.",
            "Ringde två gånger, {b} svarade inte.",
            "Skickade brev till {b} med förslag på tid för ett första möte.",
            "Lämnade lapp i brevlådan med telefonnummer till oss.",
            "Försökte nå {b} på telefon, ingen svarade.",
        ),
    ),
    # calls with the caseworker are neither contact nor attempt (GB1 hard case)
    "CASEWORKER_INFO": (
        F({"CASEWORKER_CONTACT"}),
        (
            "Ringde handläggaren {hl} och fick mer information om uppdraget.",
            "Mejl från socialsekreteraren {hl} med bakgrund till uppdraget.",
            "Pratade med handläggaren {hl} om vilka tider som passar {b}.",
        ),
    ),
    "WAITING": (
        F(),
        (
            "Ingen ledig kontaktpersonal ännu, uppdraget står i kö.",
            "Väntar på att kunna fördela uppdraget till kontaktpersonal.",
            "Stödpedagogen har uppdraget, fördelning sker när personal finns.",
        ),
    ),
    "INTERNAL": (
        F(),
        (
            "Stödpedagogsmöte: diskuterade planeringen för {b} i arbetsgruppen.",
            "Arbetsgruppen gick igenom veckans schema.",
            "Ärendedragning på teamträffen.",
        ),
    ),
    # ---- start, plans ------------------------------------------------------------------------
    "UPPSTART": (
        F({"VISIT_DONE"}),
        (
            "Uppstartsmöte hemma hos {b}. Gick igenom uppdraget och boendestödets arbetssätt.",
            "Uppstartsmöte på kontoret med {b}, vi pratade om vad {b} vill ha stöd med.",
            "Uppstart: träffade {b} i hemmet, gick igenom uppdraget och bokade fasta tider.",
        ),
    ),
    "PLAN_START": (
        F(),
        (
            "Påbörjade genomförandeplanen tillsammans med {b}.",
            "Vi började skriva på genomförandeplanen, fortsätter nästa gång.",
        ),
    ),
    "PLAN_DONE": (
        F({"PLAN_DONE"}),
        (
            "Genomförandeplanen klar och fastställd tillsammans med {b}. {B} fick en kopia.",
            "Gick igenom och fastställde genomförandeplanen med {b}.",
            "Genomförandeplanen är nu färdigställd och undertecknad av {b}.",
        ),
    ),
    # ---- declines ----------------------------------------------------------------------------
    "DECLINE": (
        F({"DECLINE"}),
        (
            "{B} tackade nej till dagens besök.",
            "{B} avböjde besöket idag.",
            "{B} ringde på morgonen och ställde in besöket.",
            "{B} avbokade dagens insats.",
            "{B} ville inte ha besök idag.",
            "{B} öppnade men sa att hen inte ville ha något stöd idag.",
            "Avbokat av brukaren.",
            "{B} tackade ne till besöket.",
            "Besöket ställdes in av {anh}.",
        ),
    ),
    "DECLINE_R": (
        F({"DECLINE", "REASON"}),
        (
            "{B} tackade nej till dagens besök eftersom hen kände sig sjuk.",
            "{B} avböjde besöket pga huvudvärk.",
            "{B} ringde och avbokade, orkade inte idag eftersom hen sovit dåligt.",
            "{B} ställde in besöket på grund av en tandläkartid.",
            "{B} ville inte ha besök idag. Anledningen var att hen skulle träffa sin bror.",
            "Besöket ställdes in av {anh} eftersom {b} hade feber.",
            "{B} avbokade, kände sig sjuk och ville vila.",
            "{B} tackade nej pga att hen var trött efter sysselsättningen.",
        ),
    ),
    "DECLINE_START": (
        F({"DECLINE", "REASON"}),
        (
            "{B} ställde in uppstartsmötet eftersom hen skulle till läkaren.",
            "{B} avbokade uppstartsmötet pga förkylning.",
        ),
    ),
    "REASON_NONE": (
        F(),
        (
            "Ville inte säga varför.",
            "Ingen orsak angiven.",
            "{B} gav ingen förklaring.",
        ),
    ),
    "MOTIVATION": (
        F({"MOTIVATION"}),
        (
            "Försökte motivera {b} genom att föreslå en kortare promenad istället.",
            "Motiverande samtal om målet att {mal}, {b} lyssnade men ville vänta till nästa gång.",
            "Pratade med {b} om vad stödet kan betyda och föreslog att vi ses {dag} istället.",
            "Påminde om målet att {mal} och frågade om vi kunde göra något enklare tillsammans.",
            "Försökte motivera, erbjöd att komma senare på dagen men {b} ville vila.",
        ),
    ),
    "CONTACT_MOTIVATION": (
        F({"CONTACT", "MOTIVATION"}),
        (
            "Ringde {b} dagen efter, pratade om hur vi kan göra besöken lättare och föreslog en promenad nästa gång.",
            "Telefonsamtal med {b}, motiverande samtal om att komma igång igen. {B} ville försöka på {dag}.",
        ),
    ),
    # ---- service cancels ---------------------------------------------------------------------
    "CANCEL": (
        F({"SERVICE_CANCEL"}),
        (
            "Besöket ställdes in pga personalbrist.",
            "Insatsen ställdes in pga sjukdom i personalgruppen.",
            "Vi fick avboka dagens besök då ingen personal kunde komma.",
            "Besöket flyttades av verksamheten på grund av personalbrist.",
            "Ingen personal kunde komma idag, besöket blev inställt.",
            "Inställt från vår sida (personalbrist).",
        ),
    ),
    "INFORMED": (
        F({"INFORMED", "CONTACT"}),
        (
            "{B} informerades per telefon.",
            "Ringde {b} och meddelade.",
            "Meddelade {b} via sms, {b} svarade ok.",
            "{B} fick besked i telefon om ändringen.",
            "Brukaren informerades i god tid.",
        ),
    ),
    "INFORM_FAIL": (
        F({"CONTACT_ATTEMPT"}),
        (
            "Försökte ringa {b} för att meddela men fick inget svar.",
            "Sökte {b} för att meddela ändringen, inget svar.",
        ),
    ),
    "ALT_OFFERED": (
        F({"ALT_OFFERED"}),
        (
            "Erbjöd ny tid på {dag} som {b} tackade ja till.",
            "{B} erbjöds annan personal men ville hellre vänta till {dag}.",
            "Ny tid bokad till {dag} kl {tid}.",
            "Föreslog en promenad på {dag} istället, {b} tyckte det lät bra.",
        ),
    ),
    "ALT_LATER": (
        F({"ALT_OFFERED", "CONTACT"}),
        (
            "Ringde {b} och erbjöd ny tid efter det inställda besöket, {b} valde {dag}.",
            "Pratade med {b} om ersättningstid för det inställda besöket, bokat {dag}.",
        ),
    ),
    "ALT_NOT_POSSIBLE": (
        F({"ALT_NOT_POSSIBLE"}),
        (
            "Ingen annan personal fanns att tillgå.",
            "Kunde inte erbjuda annan tid denna vecka.",
            "Det gick inte att ordna någon ersättare.",
        ),
    ),
    "DEVIATION": (
        F({"DEVIATION"}),
        (
            "Avvikelse upprättad.",
            "Skrev en avvikelse om det uteblivna besöket.",
            "Avvikelse skriven i systemet.",
            "Avvikelse upprätad.",
        ),
    ),
    "DEVIATION_NEG": (
        F(),
        (
            "Ingen avvikelse upprättades.",
            "Ska skriva avvikelse imorgon.",
            "Avvikelse bör skrivas.",
            "Om besöket inte kan ersättas ska avvikelse skrivas.",
            "Avvikelse har inte skrivits ännu.",
        ),
    ),
    # ---- not at home ---------------------------------------------------------------------------
    "NOT_HOME": (
        F({"NOT_HOME"}),
        (
            "Ej hemma vid planerat besök.",
            "{B} öppnade inte när vi ringde på.",
            "Ingen öppnade, {b} svarade inte när vi ringde på.",
            "Knackade på flera gånger men {b} var inte hemma.",
            "ej hemma kl {tid}",
        ),
    ),
    "THREE_DAY": (
        F({"THREE_DAY_ROUTINE"}),
        (
            "Startade 3-dagarsrutinen.",
            "Tredagarsrutin påbörjad enligt rutin.",
            "3-dagarsrutinen inledd, ringer igen imorgon.",
            "Påbörjade 3-dagars rutinen.",
        ),
    ),
    "THREE_DAY_NEG": (
        F(),
        (
            "Lämnade lapp.",
            "Åker förbi igen på {dag}.",
            "Ska starta 3-dagarsrutinen om {b} inte hörs av imorgon.",
            "Startar 3-dagarsrutinen imorgon om vi inte får kontakt.",
        ),
    ),
    "THREE_DAY_LATE": (
        F({"THREE_DAY_ROUTINE"}),
        (
            "Startade 3-dagarsrutinen idag.",
            "3-dagarsrutinen påbörjad idag, ringer igen imorgon.",
        ),
    ),
    "ROUTINE_DAY2": (
        F({"CONTACT_ATTEMPT"}),
        (
            "Dag 2: ringde {b}, inget svar.",
            "Uppföljning: ringde {b} två gånger utan svar.",
        ),
    ),
    "ROUTINE_FOUND": (
        F({"CONTACT"}),
        (
            "Fick kontakt med {b} som hade varit hos en kompis. Rutinen avslutad.",
            "{B} svarade i telefon, hade sovit djupt. Allt ok.",
            "{B} ringde tillbaka, hade glömt bort tiden. Vi ses som vanligt.",
        ),
    ),
    # ---- hospital --------------------------------------------------------------------------------
    "HOSPITAL": (
        F({"HOSPITAL"}),
        (
            "{B} är inlagd på sjukhus sedan i morse enligt {anh}.",
            "Fick veta att {b} blivit inskriven på avdelning {avd} på {sjukhus}.",
            "{B} ringde från {sjukhus}, är inlagd för observation.",
            "{B} har blivit inlagd på {sjukhus}.",
        ),
    ),
    "HOSPITAL_SS": (
        F({"HOSPITAL", "CASEWORKER_CONTACT"}),
        ("Socialsekreteraren {hl} ringde och berättade att {b} är inlagd på {sjukhus}.",),
    ),
    "SS_INFORMED": (
        F({"CASEWORKER_CONTACT"}),
        (
            "Meddelade socialsekreteraren via Treserva.",
            "Ringde handläggaren {hl} och informerade om inläggningen.",
            "Socialsekreteraren {hl} informerad.",
            "Skickade meddelande till socialsekreteraren {hl} i Treserva.",
        ),
    ),
    "HOSPITAL_DECOY": (
        F(),
        (
            "{B} berättade om när hen låg inne på sjukhus förra året.",
            "Akutbesök på vårdcentralen, {b} fick åka hem samma dag.",
            "{B}s mamma är inlagd på sjukhus, vi pratade om det en stund.",
        ),
    ),
    "HOME_AGAIN": (
        F({"CONTACT"}),
        (
            "{B} är hemma igen efter sjukhusvistelsen, pratade i telefon. Besöken återupptas.",
            "Pratade med {b} som kommit hem. Vi fortsätter som vanligt från {dag}.",
        ),
    ),
    # ---- concern (HP1) -------------------------------------------------------------------------
    "CONCERN": (
        F({"CONCERN"}),
        (
            "Grannen ringde och var orolig för {b} som inte vill ta emot någon hjälp.",
            "{Anh} hörde av sig, oroar sig för att {b} far illa och vägrar all hjälp.",
            "Hyresvärden ringde och uttryckte oro, {b} vill inte släppa in någon.",
        ),
    ),
    "CONCERN_SS": (
        F({"CASEWORKER_CONTACT"}),
        (
            "Kontaktade biståndshandläggaren samma dag.",
            "Ringde handläggaren {hl} och förmedlade oron.",
            "Biståndshandläggaren {hl} kontaktad.",
        ),
    ),
    "CONCERN_SS_LATER": (
        F({"CASEWORKER_CONTACT"}),
        (
            "Ringde biståndshandläggaren {hl} angående oron som grannen framförde.",
            "Kontakt med handläggaren {hl} om oroanmälan kring {b}.",
        ),
    ),
    "CONCERN_DECOY": (
        F(),
        (
            "{Anh} är orolig för {b}s mående men {b} tar emot stödet bra.",
            "{Anh} ringde och var glad över att {b} kommit igång med stödet.",
        ),
    ),
    # ---- repeated declines (TN5) ----------------------------------------------------------------
    "SS_DECLINES": (
        F({"CASEWORKER_CONTACT"}),
        (
            "Ringde handläggaren {hl} och informerade om att {b} tackat nej flera gånger den senaste tiden.",
            "Meddelade socialsekreteraren via Treserva att insatsen inte kommer igång som planerat.",
            "Kontakt med handläggaren {hl} om att {b} avböjt flera besök. Uppföljning bokas.",
        ),
    ),
    "SS_DECLINES_INTENT": (
        F(),
        (
            "Ska ringa handläggaren imorgon om detta.",
            "Handläggaren bör kontaktas.",
        ),
    ),
    "SS_ROUTINE": (
        F({"CASEWORKER_CONTACT"}),
        (
            "Mejl till handläggaren {hl} inför uppföljningsmötet.",
            "Handläggaren {hl} ringde och frågade hur det går.",
        ),
    ),
    # ---- summaries and end notes ----------------------------------------------------------------
    "SUMMARY": (
        F({"SUMMARY"}),
        (
            "Sammanställning daganteckningar {fr}–{till}:",
            "Sammanställning av daganteckningar för perioden {fr}–{till}.",
            "SAMMANSTÄLLNING {fr}–{till}",
        ),
    ),
    "SUMMARY_START": (
        F(),
        ("Påbörjat sammanställningen av daganteckningar, blir klar nästa vecka.",),
    ),
    "END_REASON": (
        F({"END_NOTE"}),
        (
            "Slutanteckning: Insatsen avslutas då {b} flyttat till {ort}.",
            "Slutanteckning. Boendestödet avslutas eftersom {b} nått sina mål och klarar vardagen själv.",
            "Slutanteckning: {b} har återtagit sin ansökan och insatsen avslutas.",
            "Slutanteckning – insatsen upphör då {b} beviljats plats på {ort}.",
        ),
    ),
    "END_BARE": (
        F({"END_NOTE"}),
        (
            "Ärendet avslutat.",
            "Slutanteckning: insatsen avslutad.",
        ),
    ),
    # ---- korttids: hemgångssamtal, terminssamtal --------------------------------------------------
    "HOME_TALK": (
        F({"HOME_TALK"}),
        (
            "Hemgångssamtal med {anh} per telefon, vistelsen har gått bra. /{ini}",
            "Hemgångssamtal i samband med hämtning, {anh} fick höra om helgen. {kort}",
            "Hemgångssamtal via sms till {anh}, hållet av {fnamn}.",
            "{kort} hade hemgångssamtal med {anh} vid hämtningen: lugn vistelse, åt bra.",
        ),
    ),
    "HOME_TALK_ANON": (
        F({"HOME_TALK"}),
        (
            "Hemgångssamtal genomfört per telefon.",
            "Hemgångssamtal gjort.",
        ),
    ),
    "HOME_TALK_INTENT": (F(), ("Hemgångssamtal ska göras imorgon.",)),
    "TERM_TALK": (
        F({"TERM_TALK"}),
        (
            "Skickade inbjudan till terminssamtal till {anh} och {b}.",
            "Bjöd in till terminssamtal, frågorna skickade i förväg till {anh}.",
            "Terminssamtal genomfört med {b} och {anh}, anteckningar i brukarpärmen.",
            "Inbjudan till terminssamtal skickad per mejl till {anh}.",
        ),
    ),
    "TERM_TALK_INTENT": (F(), ("Ska skicka inbjudan till terminssamtal nästa vecka.",)),
    # ---- new individual: välkomstmapp -------------------------------------------------------------
    "WELCOME": (
        F({"WELCOME_PACK"}),
        (
            "Lämnade välkomstmappen vid första besöket.",
            "Skickade välkomstmappen per post till {b}.",
            "Gick igenom välkomstmappen tillsammans med {b} och {anh}.",
            "Välkomstmapp överlämnad.",
        ),
    ),
    "WELCOME_INTENT": (
        F(),
        (
            "Välkomstmappen ska lämnas vid nästa besök.",
            "Har inte hunnit lämna välkomstmappen.",
        ),
    ),
    # ---- value-laden words (DOK1) -------------------------------------------------------------------
    "VALUE": (
        F({"VALUE_WORD"}),
        (
            "{B} var besvärlig idag.",
            "{B} var bråkig och svår att samarbeta med.",
            "{B} är lat och låter personalen göra allt.",
            "{B} var jobbig under hela besöket.",
            "{B} var otrevlig mot personalen.",
            "{B} var tjurig hela eftermiddagen.",
            "{B} var krånglig som vanligt.",
        ),
    ),
    "VALUE_DECOY": (
        F(),
        (
            "Det var besvärligt väglag idag.",
            "Tvättmaskinen var krånglig, vi ringde fastighetsskötaren.",
        ),
    ),
    # ---- excluded notes ---------------------------------------------------------------------------
    "HSL": (
        F(),
        (
            "Delade ut läkemedel enligt signeringslista.",
            "Distriktssköterskan bytte förband på vänster underben.",
            "Blodtryck 135/85, puls 72.",
            "Gav Alvedon 500 mg enligt ordination.",
        ),
    ),
}


# Sokord (rubrik) per primary key of a note
SOKORD: dict[str, tuple[str, ...]] = {
    "visit": ("Daganteckning", "Genomförande", "Insats", "Besök"),
    "contact": ("Kontakt", "Telefonsamtal", "Daganteckning"),
    "event": ("Avvikande händelse", "Daganteckning", "Händelse"),
    "plan": ("Genomförandeplan",),
    "summary": ("Sammanställning",),
    "end": ("Slutanteckning", "Avslut"),
    "caseworker": ("Kontakt handläggare", "Myndighet"),
    "home_talk": ("Hemgångssamtal", "Uppföljning"),
    "term": ("Terminssamtal", "Uppföljning"),
    "welcome": ("Introduktion", "Ny brukare"),
    "hsl": ("Omvårdnad", "Läkemedel"),
}


class _Slots(dict):
    """Fixed slots, and random fillers for every other slot."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        choices = FILLERS.get(key)
        if choices is None:
            raise KeyError(key)
        value = self._rng.choice(choices)
        self[key] = value  # the same slot reads the same within one note
        return value


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def slots(rng: random.Random, b: str, **fixed: str) -> _Slots:
    """Slots for one note: ``b`` is how the note refers to the individual ("B", a first name …)."""
    values = {"b": b, "B": _cap(b), **fixed}
    if "anh" in fixed:
        values["Anh"] = _cap(fixed["anh"])
    return _Slots(rng, values)


def sentence(rng: random.Random, key: str, sl: _Slots) -> str:
    _facts, templates = BANK[key]
    return rng.choice(templates).format_map(sl)


def facts_of(keys: Sequence[str]) -> frozenset[str]:
    out: set[str] = set()
    for k in keys:
        out |= BANK[k][0]
    return frozenset(out)


def typo(rng: random.Random, text: str) -> str:
    """Swap two adjacent letters in one longer word (a plain typing slip)."""
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def compose(
    rng: random.Random, keys: Sequence[str], sl: _Slots, *, neutral_typo: float = 0.0
) -> str:
    """Join one sentence per key. Only neutral sentences (no facts) may get a typo."""
    parts: list[str] = []
    for k in keys:
        s = sentence(rng, k, sl)
        if neutral_typo and not BANK[k][0] and rng.random() < neutral_typo:
            s = typo(rng, s)
        parts.append(s)
    return " ".join(parts)


# --------------------------------------------------------------------------------------------
# Plans: delmål, content, participation
# --------------------------------------------------------------------------------------------

LIVSOMRADEN = (
    "Hemliv",
    "Personlig vård",
    "Allmänna uppgifter och krav",
    "Samhällsgemenskap, socialt och medborgerligt liv",
    "Utbildning, arbete, sysselsättning och ekonomiskt liv",
    "Mellanmänskliga interaktioner och relationer",
)

SMART_GOALS = (
    "{B} handlar själv på {butik} en gång i veckan med stöd av boendestödjare, senast {datum}.",
    "{B} lagar middag två gånger i veckan tillsammans med personal, följs upp {datum}.",
    "{B} betalar alla räkningar före förfallodagen varje månad med stöd av checklista, mål till {datum}.",
    "{B} tar en promenad på minst 20 minuter tre gånger i veckan, utvärderas {datum}.",
    "{B} tvättar själv varannan vecka i tvättstugan, med stöd första gångerna, senast {datum}.",
    "{B} åker buss själv till sysselsättningen två dagar i veckan, målet nås senast {datum}.",
    "{B} städar köket en gång i veckan enligt bildschema, målet nås {datum}.",
    "{B} deltar i en fritidsaktivitet minst en gång per månad, följs upp {datum}.",
)

NON_SMART_GOALS = (
    "{B} ska må bättre.",
    "Öka självständigheten i hemmet.",
    "{B} städar lägenheten varannan vecka.",
    "Bli bättre på att handla.",
    "{B} ska få ett mer aktivt liv.",
    "Stöd i vardagen.",
)

ARBETSMETOD = (
    "Boendestödjaren gör tillsammans med {b}, inte åt {b}. Vi använder bildschema och checklistor (ESL).",
    "Stöd genom att planera veckan tillsammans, påminnelser via sms och gemensam handling.",
    "Tydliggörande pedagogik: veckoschema på kylskåpet, samma personal i möjligaste mån.",
    "Motiverande samtal och praktisk träning i hemmet, stegvis minskat stöd.",
)

BEMOTANDE = (
    "{B} vill bli bemött lugnt och rakt, med korta besked. Ring innan besöket.",
    "{B} uppskattar humor men vill inte bli stressad. Ge tid att svara.",
    "Lågaffektivt bemötande, sänk kraven när {b} är trött.",
    "{B} vill att personalen tar av sig skorna och knackar innan de går in.",
)

KRISPLAN = (
    "Vid försämring kontaktas {anh} (samtycke finns) och psykiatrimottagningen.",
    "Vid kris ringer personalen {anh} enligt samtycke, därefter vårdcentralen.",
    "Vid tecken på försämring: kontakta socialsekreteraren och {anh} (samtycke givet {datum}).",
)

KRISPLAN_VAGUE = (
    "Vid kris: ta det lugnt och avvakta.",
    "Krisplan ska tas fram.",
)

DELAKTIGHET = (
    "Upprättad tillsammans med {b} och kontaktpersonal.",
    "{B} deltog och formulerade målen med egna ord.",
    "Planen skrevs hemma hos {b}, {anh} deltog på {b}s önskan.",
    "{B} har medverkat och godkänt planen.",
)

DELAKTIGHET_MISSING = (
    "Upprättad av kontaktpersonal.",
    "",
)

LSS_ARBETSMETOD = (
    "Fasta rutiner och bildstöd vid övergångar.",
    "Förberedelse inför aktiviteter med social berättelse.",
    "Stöd i att välja aktivitet själv, samma personal i möjligaste mån.",
)

LSS_GOALS = (
    "{B} väljer själv en aktivitet vid varje tillfälle, följs upp {datum}.",
    "{B} åker buss med stöd till en aktivitet varannan vecka, utvärderas {datum}.",
    "{B} provar en ny fritidsaktivitet en gång per månad, senast {datum}.",
    "{B} beställer själv på café vid varje ledsagning, följs upp {datum}.",
)

# --------------------------------------------------------------------------------------------
# Avvikelser (the separate export)
# --------------------------------------------------------------------------------------------

AVV_MISSED_TYPE = ("Utebliven/ej utförd insats", "Utebliven insats", "Ej utförd insats")
AVV_MISSED_TEXT = (
    "Planerat besök kunde inte genomföras pga personalbrist.",
    "Besöket ställdes in, ingen ersättare fanns.",
    "Insatsen uteblev då personal var sjuk.",
)
AVV_OTHER = (
    ("Fall", "Brukaren föll i hallen, inga synliga skador. Anhörig informerad."),
    ("Fall", "Hittades sittande på golvet i badrummet, hjälptes upp."),
    ("Läkemedel", "Dosett ej tömd, kvällsdos missad."),
    ("Bemötande", "Brukaren upplevde att personalen var stressad."),
    ("Hot och våld", "Brukaren blev arg och kastade en kopp, ingen skadad."),
    ("Lex Sarah", "Misstanke om missförhållande, utreds av enhetschef."),
)
AVV_STATUS = ("Registrerad", "Under utredning", "Åtgärdad", "Avslutad")
AVV_ATGARD = (
    "Diskuterat i arbetsgruppen.",
    "Schemat ses över.",
    "Rutinen gås igenom på APT.",
    "",
)
