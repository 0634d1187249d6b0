"""What every app uses and nothing else: limits on what a studio can store, and more to come
(money, paging, the studio's clock). Sits below every other app; imports none of them."""
