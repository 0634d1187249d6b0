"""Nicknames and other forms of given names: Bob is Robert, Liz is Elizabeth, Sasha is Alexander.

A compact table of groups (one per line: the formal name first, then its nicknames and
common equivalents in other European languages). `name_variants("Bob")` is every name
that shares a group with Bob. Matching (contacts.matching) uses it twice: to widen the
candidate lookup (extra name_key / surname_key values) and to score "Bob" against
"Robert" as the same first name.

A name may sit in several groups (Alex: Alexander, Alexandra, Alexis); variants are the
union of those groups, never their closure, so Alex does not make Sandra a variant of
Alexander.

Forms that are commonly given as separate names, often within one family (Ian and John,
Isabel and Elizabeth, Charles and Charlotte, Ellen and Helen), are deliberately not
variants: a shared family phone plus a "nickname" must never link the wrong sibling.
"""

from __future__ import annotations

from functools import cache, lru_cache

from unidecode import unidecode

# Lower-case ASCII (names are folded with unidecode before the look-up).
# An indented line continues the group above it.
_GROUPS = """
aaron ron ronnie
abigail abby abbie gail
abraham abe bram
adam ade
adelaide addie adele heidi
adrian ade adriano adrien
agnes aggie nessa ines agnieszka
albert al bert bertie albrecht alberto
alexander alex alec alek sasha xander sandy alexandre alessandro alejandro aleksander
    aleksandr sacha lex
alexandra alex alexa lexi sasha sandra sandy alessandra alejandra aleksandra sacha
alexis alex lexi lexie
alfred alf alfie fred freddie alfredo
alice ally allie alicia alison
allison ally allie alison
amanda mandy manda
amelia amy millie emilia
andrew andy drew andre andreas andrea andrzej andrei andres
angela angie angelika angelique
anna ann anne annie anja anya anka
anthony tony antony antonio anton antoine antek
antoinette toni netta
arthur art artie arturo
augustus gus august gustav
barbara barb babs barbie basia
bartholomew bart bartek bartolomeo
beatrice bea trixie beatrix beatriz
benedict ben benny benedikt benoit
benjamin ben benny benji
bernard bernie bernhard bernardo
bridget biddy bridie brigitte brigid
carl karl carlo carlos charles
carol carrie carole caroline
caroline carrie caro carol carolina karoline
catherine cathy cath kate katie kathy kitty cat catarina caterina katharina katarzyna
    kasia katja
charles charlie chuck chas chaz carl karl carlos carlo
charlotte charlie lottie lotte carlota
christian chris kristian christiaan
christina chris chrissy tina kristina christine kirsten
christine chris chrissy tina christina kristin
christopher chris kit topher christoph cristobal krzysztof kris
clara claire clare klara chiara
clifford cliff
cornelius neil cornelis kees
cynthia cindy
daniel dan danny dani daniele
david dave davy davey dai davide dawid
deborah debbie deb debra
dennis denny denis
diana di diane dee
dominic dom dominik domenico dominique
donald don donny
dorothy dot dottie dolly dorothea
douglas doug
edward ed eddie ned ted teddy eduard eduardo edoardo
eleanor ellie nell nellie elinor leonora nora
elizabeth liz lizzie lizzy beth betty betsy bess bessie eliza libby liza elisabeth
    elisabetta ilse elzbieta ela
ellen ellie nell
emily em emmy millie emilie emilia
emma em emmy
eric rick ricky erik
ernest ernie ernst ernesto
eugene gene eugen eugenio
evelyn eve evie
frances fran fanny frankie francesca francoise franziska
francis frank frankie fran francesco francois franz francisco paco franciszek
frederick fred freddie freddy fritz friedrich federico frederik fryderyk
gabriel gabe gabi gabriele
gabrielle gabby gabi gabriella
geoffrey geoff jeff jeffrey
george georgie jorge georg giorgio georges jerzy yuri jurgen
georgina georgie gina georgia
gerald gerry jerry gerard gerhard
gertrude gertie trudy trudi
gregory greg gregor grzegorz gregorio
harold harry hal
harriet hattie harry
helen nell nellie helena elena
henrietta hetty etta henny
henry harry hank hal henri heinrich enrique enrico henryk hendrik heinz
herbert herb bert
hugh hugo hughie
isaac ike zac isaak
isabel izzy bella isabelle isobel isabella
jacob jake jakob jacques jakub giacomo jacobo koby
jacqueline jackie jacqui
james jim jimmy jamie jem diego jaime giacomo jacques
jane jan janie
janet jan jen jenny
jennifer jen jenny jenn
jeremy jerry jem
jessica jess jessie
joanna jo joanne joan johanna
john jack johnny jon jonny hans johann johannes juan giovanni gianni jean ivan janek
jonathan jon jonny nathan
joseph joe joey jo jose giuseppe josef jozef pepe beppe
josephine jo josie fina josefina
joshua josh
judith judy jude
julia julie jules giulia
julian jules julius giuliano julien
katherine kate katie kathy kath kathryn kay kitty kat catherine katarina katharina
kathleen kathy kath kate katie
kenneth ken kenny
lawrence larry laurie lorenzo laurent lorenz wawrzyniec
leonard len lenny leo leon leonardo leonhard
leslie les lesley
lewis lou louie louis ludwig luis luigi
lillian lily lil lilly
louis lou louie lewis ludwig luis luigi ludovic
louise lou lulu luisa louisa
lucy lucie lucia luce
luke luca lucas lukas lukasz luc
madeleine maddie maddy madeline magdalena lena
margaret maggie meg peggy peg marge margie madge daisy greta gretchen margarita margherita
    marguerite margot rita molly malgorzata gosia
maria mary marie marija maryla marysia
marjorie marge margie
mark marc marco marcus markus marek
martha marty mattie marta
martin marty martyn martino
mary molly polly mae mamie marie maria mimi
matilda tilly tilda mattie mathilde
matthew matt matty mathieu matteo mateo matthias mateusz
maximilian max maxim maximilien massimiliano
michael mike mikey mick micky mickey mitch michel michele miguel michal mikhail mikael
    misha mikkel
michelle shelley michele micheline
natalie nat natasha natalia natalya
nathaniel nat nate nathan
nicholas nick nicky nico nicolas nicola niccolo niklas nikolai mikolaj klaus claus
nicole nikki nicky nicola
olivia liv livvy ollie
oliver ollie olly olivier
pamela pam
patricia pat patty trish tricia patsy
patrick pat paddy patricio
paul paulie pablo paolo pawel
pauline paula polly
penelope penny
peter pete pierre pietro pedro piotr pieter petr
philip phil pip philippe felipe filippo philipp filip
rachel rae
rebecca becky becca beck
richard rick ricky dick rich richie ricardo riccardo
robert bob bobby rob robbie bert roberto
roberta bobbie robbie berta
ronald ron ronnie
rosalind ros roz rosie
rose rosie rosa
rosemary rosie romy
samantha sam sammy
samuel sam sammy
sandra sandy sandi sasha
sarah sara sally sadie sal
sophia sophie sofia sofie zofia zosia
stephanie steph stevie stefanie stephanie
stephen steve stevie stefan steven esteban stefano stephane etienne szczepan
steven steve stevie stephen
susan sue susie suzy suzanne susanna zuzanna
teresa terry tess tessa theresa
terence terry
theodore theo ted teddy theodor teodor
thomas tom tommy thom tomas tommaso tomasz
timothy tim timmy
valentine val valentin valentino
valerie val
victor vic vick viktor vittorio
victoria vicky vicki tori vic viktoria
vincent vince vinnie vincenzo
virginia ginny ginger
vivian viv vivien
walter walt wally
william bill billy will willie liam wilhelm guillaume guillermo guglielmo willem
wilfred wilf fred
winifred winnie freda
yvonne evonne
zachary zach zack zac
zoe zoey zoe
"""


@lru_cache(maxsize=8192)
def _fold(name: str) -> str:
    return "".join(ch for ch in unidecode(name or "").casefold() if ch.isalpha())


@cache
def _groups_by_name() -> dict[str, frozenset[str]]:
    groups: list[set[str]] = []
    for line in _GROUPS.splitlines():
        if line.startswith(" ") and groups:
            groups[-1].update(line.split())
        elif line.strip():
            groups.append(set(line.split()))
    by_name: dict[str, set[str]] = {}
    for group in groups:
        for name in group:
            by_name.setdefault(name, set()).update(group)
    return {name: frozenset(group) for name, group in by_name.items()}


def name_variants(first: str) -> set[str]:
    """The folded first name and every other form of it: 'Bob' → {'bob', 'robert', 'rob', …}.

    Only the first word counts ('Mary Ann' → variants of 'mary'). An unknown name is
    its own only variant; an empty one has none.
    """
    words = (first or "").split()
    return set(_variants(words[0])) if words else set()


@lru_cache(maxsize=4096)
def _variants(word: str) -> frozenset[str]:
    folded = _fold(word)
    if not folded:
        return frozenset()
    return frozenset({folded, *_groups_by_name().get(folded, ())})


def are_variants(a: str, b: str) -> bool:
    """True when the two first names are forms of one another (Bob / Robert), or equal."""
    words_b = (b or "").split()
    words_a = (a or "").split()
    return bool(words_a and words_b) and _fold(words_b[0]) in _variants(words_a[0])
