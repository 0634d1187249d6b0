"""Name, street and domain pools of the synthetic studio (synth.py)."""

from __future__ import annotations


def _listed(text: str, sep: str = " ") -> list[str]:
    return [item.strip() for item in text.split(sep) if item.strip()]


MALE = _listed(
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald "
    "Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott "
    "Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler "
    "Aaron José Adam Nathan Henry Peter Zachary Douglas Harold Oliver Harry Louis Francis "
    "François Søren Łukasz Jürgen Andrés Oscar Liam Noah Ethan Lucas Mason Logan Hugo Leo"
)
FEMALE = _listed(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa "
    "Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Anna Brenda Pamela "
    "Emma Nicole Helen Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet "
    "Ruth Maria Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren "
    "Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Zoë "
    "Chloé Renée Anaïs Inés Sofía Frances Louise Danielle Paula Charlotte Isabel Ellen Lucy"
)
SURNAMES = _listed(
    "Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, "
    "Roberts, Robinson, Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, "
    "Lewis, Harris, Clarke, Patel, Jackson, Wood, Turner, Martin, Cooper, Hill, Ward, "
    "Morris, Moore, Clark, Lee, King, Baker, Harrison, Morgan, Allen, James, Scott, "
    "Phillips, Watson, Davis, Parker, Price, Bennett, Young, Griffiths, Mitchell, Kelly, "
    "Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox, "
    "Richards, Khan, Marshall, Anderson, Simpson, Ellis, Adams, Singh, Begum, Wilkinson, "
    "Foster, Chapman, Powell, Webb, Rogers, Gray, Mason, Ali, Hunt, Hussain, Campbell, "
    "Matthews, Owen, Palmer, Holmes, Mills, Barnes, Knight, Lloyd, Butler, Russell, "
    "Barker, Fisher, Stevens, Jenkins, Murray, Dixon, Harvey, Müller, García, Núñez, "
    "Kowalski, Nowak, O'Brien, McDonald, Fernández, Lefèvre, Dubois, Rossi, Ferrari, "
    "Schmidt, Schneider, Johansson, Nielsen, Jansen, de Vries, van der Berg, "
    "Smith-Jones, Øster",
    sep=",",
)
NICKNAMES = {
    "Robert": ["Bob", "Rob", "Bobby"],
    "William": ["Bill", "Will", "Billy"],
    "Elizabeth": ["Liz", "Beth", "Lizzie"],
    "Katherine": ["Kate", "Katie", "Kathy"],
    "Catherine": ["Kate", "Cathy"],
    "James": ["Jim", "Jimmy", "Jamie"],
    "Michael": ["Mike", "Mick"],
    "Margaret": ["Peggy", "Maggie", "Meg"],
    "Anthony": ["Tony"],
    "Alexander": ["Alex", "Sasha"],
    "Richard": ["Rick", "Dick", "Richie"],
    "Thomas": ["Tom", "Tommy"],
    "Christopher": ["Chris"],
    "Daniel": ["Dan", "Danny"],
    "Jennifer": ["Jen", "Jenny"],
    "Rebecca": ["Becky"],
    "Samantha": ["Sam"],
    "Patricia": ["Pat", "Trish"],
    "Edward": ["Ed", "Ted", "Eddie"],
    "Nicholas": ["Nick"],
    "Benjamin": ["Ben"],
    "Jacqueline": ["Jackie"],
    "Deborah": ["Debbie"],
    "Stephen": ["Steve"],
    "Victoria": ["Vicky"],
}
STREETS = _listed(
    "High Church Station Victoria Green Manor Park Queens Kings Grange Mill Chapel Albert "
    "Springfield Windsor York Alexandra New Main School Stanley Richmond Highfield George "
    "Orchard Meadow Cedar Oak Elm Willow Beech Rose Cherry Hawthorn Forest Bridge North "
    "South West East Castle Abbey Priory Riverside Brook Hill Market Broad Long"
)
STREET_TYPES = ("Street", "Road", "Lane", "Avenue", "Close", "Drive", "Way", "Gardens")
SYLLABLES = _listed(
    "an ber cal dor el fen gar hal ith kin lor mar nor ost pen quin ril sten tor ul"
)
# Towns, one per postcode area (synth.town_of): a postcode always lies in one town.
TOWNS = (
    "Bath", "Leeds", "York", "Bristol", "Norwich", "Exeter", "Durham", "Chester", "Lincoln",
    "Oxford", "Cambridge", "Derby", "Preston", "Ipswich", "Salford", "Wakefield", "Truro",
    "Carlisle", "Hereford", "Worcester", "Lancaster", "Stirling", "Bangor", "Newry",
)  # fmt: skip
DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
